/** What the Square sandbox keeps per record, before it is printed in Square's JSON shapes. */
import type { Timeline } from './timeline.js';

export type { BookingStatus } from '../../core/model.js';
import type { BookingStatus } from '../../core/model.js';

export interface LocationDef {
  id: string;
  name: string;
  timezone: string;
  /** Hours from UTC used to place business hours (no DST: a sandbox needs plausible, not exact, hours). */
  utcOffsetHours: number;
  status: 'ACTIVE' | 'INACTIVE';
  createdAt: number;
  /** No new bookings start at or after this time (the location closed). */
  closedAt?: number;
}

export interface StaffDef {
  id: string;
  givenName: string;
  familyName: string;
  email: string;
  status: 'ACTIVE' | 'INACTIVE';
  isOwner: boolean;
  locationIds: string[];
  createdAt: number;
  /** Takes no bookings starting after this (left the business). */
  leftAt?: number;
}

export interface ServiceDef {
  itemId: string;
  itemName: string;
  variationId: string;
  variationName: string;
  /** Catalog object version, as bookings quote it in `service_variation_version`. */
  version: number;
  durationMinutes: number;
  priceMinor: number;
  isDeleted: boolean;
  /** Not bookable for appointments starting after this (a retired service). */
  retiredAt?: number;
}

export interface CustomerFields {
  givenName?: string;
  familyName?: string;
  company?: string;
  email?: string;
  phone?: string;
  emailUnsubscribed: boolean;
  creationSource: string;
  deleted: boolean;
  mergedInto?: string;
}

export interface BookingFields {
  status: BookingStatus;
  startAt: number;
  locationId: string;
  customerId: string;
  staffId: string;
  serviceVariationId: string;
  serviceVariationVersion: number;
  durationMinutes: number;
}

export type PaymentStatus = 'APPROVED' | 'PENDING' | 'COMPLETED' | 'CANCELED' | 'FAILED';

export interface PaymentFields {
  amount: number;
  tip: number;
  currency: string;
  status: PaymentStatus;
  sourceType: 'CARD' | 'CASH';
  locationId: string;
  orderId: string;
  customerId?: string;
  staffId?: string;
  serviceVariationId?: string;
  refundIds: string[];
  refunded: number;
}

export type RefundStatus = 'PENDING' | 'COMPLETED' | 'REJECTED' | 'FAILED';

export interface RefundFields {
  status: RefundStatus;
  amount: number;
  currency: string;
  paymentId: string;
  orderId: string;
  locationId: string;
  reason: string;
}

export type CustomerTimeline = Timeline<CustomerFields>;
export type BookingTimeline = Timeline<BookingFields>;
export type PaymentTimeline = Timeline<PaymentFields>;
export type RefundTimeline = Timeline<RefundFields>;
