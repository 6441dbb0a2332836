/** The parts of Square's response objects the fetcher reads (Square's field names; everything optional). */

export interface SquareMoney {
  amount?: number;
  currency?: string;
}

export interface SquareCustomer {
  id: string;
  created_at?: string;
  updated_at?: string;
  given_name?: string | null;
  family_name?: string | null;
  company_name?: string | null;
  email_address?: string | null;
  phone_number?: string | null;
  preferences?: { email_unsubscribed?: boolean | null } | null;
  version?: number;
}

export interface SquareAppointmentSegment {
  team_member_id?: string;
  service_variation_id?: string | null;
  service_variation_version?: number | null;
  duration_minutes?: number | null;
}

export interface SquareBooking {
  id: string;
  version?: number;
  status?: string;
  created_at?: string;
  updated_at?: string;
  start_at?: string | null;
  location_id?: string | null;
  customer_id?: string | null;
  appointment_segments?: SquareAppointmentSegment[] | null;
}

export interface SquarePayment {
  id: string;
  created_at?: string;
  updated_at?: string;
  amount_money?: SquareMoney | null;
  tip_money?: SquareMoney | null;
  total_money?: SquareMoney | null;
  status?: string;
  location_id?: string | null;
  customer_id?: string | null;
  team_member_id?: string | null;
  order_id?: string | null;
}

export interface SquareRefund {
  id: string;
  status?: string;
  location_id?: string | null;
  amount_money?: SquareMoney | null;
  payment_id?: string | null;
  created_at?: string;
  updated_at?: string;
}

export interface SquareLocation {
  id: string;
  name?: string;
  timezone?: string;
  status?: string;
}

export interface SquareTeamMember {
  id: string;
  given_name?: string | null;
  family_name?: string | null;
}

export interface SquareCatalogObject {
  type: string;
  id: string;
  is_deleted?: boolean;
  item_data?: { name?: string | null } | null;
  item_variation_data?: { item_id?: string | null; name?: string | null } | null;
}

export interface SquareErrorItem {
  category?: string;
  code?: string;
  detail?: string;
  field?: string;
}
