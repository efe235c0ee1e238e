import type { Account } from "./db";

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express's own way to type request state
  namespace Express {
    interface Request {
      /** The account the URL names (`/v1/accounts/:account`, by id or slug), loaded before versioning. */
      account?: Account;
      /** Whether the request carries an admin token of that account. */
      isAdmin?: boolean;
    }
  }
}

export {};
