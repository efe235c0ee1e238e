import { Router } from "express";
import { newId, type Product, type User } from "../db";
import { accountOf, send } from "./auth";
import type { ApiContext } from "./context";
import { notFound, unprocessable } from "./errors";
import { resourceInput } from "./input";
import { product, user } from "./present";

/** Products and users: the plain resources (no version changes touch their shape). */
export function catalogRoutes({ db, webhooks, now }: ApiContext): Router {
  const router = Router({ mergeParams: true });

  router.get("/products", (req, res) => send(res, 200, { data: db.products.list(accountOf(req).id).map(product) }));
  router.get("/products/:id", (req, res) => {
    const found = db.products.get(accountOf(req).id, String(req.params.id));
    if (!found) throw notFound("product", String(req.params.id));
    send(res, 200, { data: product(found) });
  });
  router.post("/products", (req, res) => {
    const { attributes, relationships } = resourceInput(req.body, "products");
    const at = now();
    const row: Product = {
      id: newId(),
      accountId: accountOf(req).id,
      name: attributes.string("name", { required: true }),
      code: attributes.string("code") ?? null,
      url: attributes.string("url", { max: 2048 }) ?? null,
      platforms: attributes.stringList("platforms") ?? [],
      metadata: attributes.metadata() ?? {},
      createdAt: at,
      updatedAt: at,
    };
    attributes.done();
    relationships.done([]);
    const document = { data: product(db.products.insert(row)) };
    webhooks.publish(row.accountId, "product.created", document);
    send(res, 201, document);
  });

  router.get("/users", (req, res) => send(res, 200, { data: db.users.list(accountOf(req).id).map(user) }));
  router.get("/users/:id", (req, res) => {
    const found = db.users.get(accountOf(req).id, String(req.params.id));
    if (!found) throw notFound("user", String(req.params.id));
    send(res, 200, { data: user(found) });
  });
  router.post("/users", (req, res) => {
    const { attributes, relationships } = resourceInput(req.body, "users");
    const at = now();
    const email = attributes.string("email", { required: true });
    if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw unprocessable("/data/attributes/email", "must be a valid email", "EMAIL_INVALID");
    const row: User = {
      id: newId(),
      accountId: accountOf(req).id,
      email: email.toLowerCase(),
      firstName: attributes.string("firstName") ?? null,
      lastName: attributes.string("lastName") ?? null,
      metadata: attributes.metadata() ?? {},
      createdAt: at,
      updatedAt: at,
    };
    attributes.done();
    relationships.done([]);
    if (db.users.list(row.accountId, { email: row.email }, 1).length > 0)
      throw unprocessable("/data/attributes/email", "has already been taken", "EMAIL_TAKEN");
    const document = { data: user(db.users.insert(row)) };
    webhooks.publish(row.accountId, "user.created", document);
    send(res, 201, document);
  });

  return router;
}
