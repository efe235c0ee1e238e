import { Router, type Request } from "express";
import "../types";
import { OrbitError, invalidField, notFound, objectBody } from "../problems";
import type { Customer, CustomerKey, CustomerStore, Invoice } from "./store";

/** The v2-only groups: API keys, profile, balance, invoices. */
export function accountRoutes(store: CustomerStore): Router {
  const router = Router();
  const me = (req: Request) => req.orbitCustomer!;

  const keyOf = (req: Request): CustomerKey => {
    const key = store.keys.get(String(req.params.id));
    if (!key || key.customer !== me(req).id) throw notFound(`API key ${String(req.params.id)}`);
    return key;
  };
  const invoiceOf = (req: Request): Invoice => {
    const invoice = store.invoices.get(String(req.params.id));
    if (!invoice || invoice.customer !== me(req).id) throw notFound(`Invoice ${String(req.params.id)}`);
    return invoice;
  };

  router.get("/api-keys", (req, res) => {
    res.json({ object: "list", data: [...store.keys.values()].filter((k) => k.customer === me(req).id).map(keyView) });
  });

  router.post("/api-keys", (req, res) => {
    const name = requiredName(objectBody(req.body, ["name"]).name);
    const { key, secret } = store.createKey(me(req).id, name);
    // The secret exists only in this response; no cache or proxy may keep a copy.
    res
      .status(201)
      .set("Cache-Control", "no-store")
      .json({ ...keyView(key), key: secret });
  });

  router.patch("/api-keys/:id", (req, res) => {
    const key = keyOf(req);
    const body = objectBody(req.body, ["name"]);
    if (body.name !== undefined) key.name = requiredName(body.name);
    res.json(keyView(key));
  });

  router.delete("/api-keys/:id", (req, res) => {
    const key = keyOf(req);
    store.deleteKey(key.id);
    res.json({ id: key.id, object: "api_key", deleted: true });
  });

  router.get("/profile", (req, res) => {
    res.json(profileView(me(req)));
  });

  router.patch("/profile", (req, res) => {
    const body = objectBody(req.body, ["name", "company", "wallet_address"]);
    const customer = me(req);
    if (body.name !== undefined) customer.name = requiredName(body.name);
    if (body.company !== undefined) {
      if (body.company !== null && typeof body.company !== "string") throw invalidField("company", "`company` must be a string or null.");
      customer.company = body.company;
    }
    if (body.wallet_address !== undefined) {
      const w = body.wallet_address;
      if (w !== null && (typeof w !== "string" || !/^[0-9a-f]{64}$/i.test(w))) {
        throw invalidField("wallet_address", "`wallet_address` must be a 32-byte ed25519 public key in hex, or null.");
      }
      customer.wallet_address = w === null ? null : w.toLowerCase();
    }
    res.json(profileView(customer));
  });

  router.get("/profile/balance", (req, res) => {
    const { balance, currency } = me(req);
    res.json({ object: "balance", available: balance, currency });
  });

  router.get("/invoices", (req, res) => {
    res.json({ object: "list", data: [...store.invoices.values()].filter((i) => i.customer === me(req).id).map(invoiceView) });
  });

  router.get("/invoices/:id", (req, res) => {
    res.json(invoiceView(invoiceOf(req)));
  });

  router.post("/invoices/:id/pay", (req, res) => {
    const invoice = invoiceOf(req);
    const customer = me(req);
    if (invoice.status === "paid") throw new OrbitError(409, "invoice_already_paid", `Invoice ${invoice.id} is already paid.`);
    if (customer.balance < invoice.amount_due) {
      throw new OrbitError(402, "insufficient_balance", `Invoice ${invoice.id} is ${invoice.amount_due} cents; the balance is ${customer.balance}.`, {
        balance: customer.balance,
        amount_due: invoice.amount_due,
      });
    }
    customer.balance -= invoice.amount_due;
    invoice.status = "paid";
    invoice.paid_at = new Date().toISOString();
    res.json(invoiceView(invoice));
  });

  return router;
}

function requiredName(name: unknown): string {
  if (typeof name !== "string" || name.trim() === "" || name.length > 100) throw invalidField("name", "`name` is required: 1 to 100 characters.");
  return name.trim();
}

function keyView(key: CustomerKey): Omit<CustomerKey, "customer"> {
  const { customer: _customer, ...rest } = key;
  return rest;
}

function invoiceView(invoice: Invoice): Omit<Invoice, "customer"> {
  const { customer: _customer, ...rest } = invoice;
  return rest;
}

function profileView(c: Customer) {
  return { id: c.id, object: c.object, email: c.email, name: c.name, company: c.company, wallet_address: c.wallet_address };
}
