/** X-Series money is a JSON decimal in major units; canonical records hold integer minor units. */
export { currencyDecimals, toMinorUnits } from '../../core/currency.js';
