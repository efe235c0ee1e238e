import type { Customer } from "./customer/store";
import type { ApiKeyRecord } from "./settings/keys";

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The customer a Customer API request authenticated as. */
      orbitCustomer?: Customer;
      /** The minted key a Settings API request authenticated with. */
      orbitKey?: ApiKeyRecord;
    }
  }
}

export {};
