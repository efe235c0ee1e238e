import { newId, type Db, type License, type Policy, type Product, type User } from "./db";

export interface Seeded {
  account: { id: string; slug: string };
  adminToken: string;
  product: Product;
  policy: Policy;
  user: User;
  license: License;
}

/**
 * One account with an admin token, a product, a floating policy that requires heartbeats
 * (three machines, 25% overage tolerated), a user and a license the user owns. The account is
 * not pinned: its first API request pins it, as Keygen's does.
 */
export function seedAccount(db: Db, options: { slug: string; name?: string; adminToken?: string; licenseKey?: string }, now = new Date()): Seeded {
  return db.transaction(() => {
    const account = db.accounts.create(options.name ?? options.slug, options.slug, now);
    const adminToken = db.accounts.addAdminToken(account.id, options.adminToken);
    const stamp = { accountId: account.id, metadata: {}, createdAt: now, updatedAt: now };
    const product = db.products.insert({ ...stamp, id: newId(), name: "Demo App", code: "demo-app", url: null, platforms: ["macOS", "Windows", "Linux"] });
    const policy = db.policies.insert({
      ...stamp,
      id: newId(),
      productId: product.id,
      name: "Pro",
      duration: null,
      strict: false,
      floating: true,
      maxMachines: 3,
      overageStrategy: "ALLOW_1_25X_OVERAGE",
      machineUniquenessStrategy: "UNIQUE_PER_LICENSE",
      machineMatchingStrategy: "MATCH_ANY",
      requireHeartbeat: true,
      heartbeatDuration: 600,
    });
    const user = db.users.insert({ ...stamp, id: newId(), email: "ada@example.com", firstName: "Ada", lastName: "Lovelace" });
    const license = db.licenses.insert({
      ...stamp,
      id: newId(),
      policyId: policy.id,
      ownerId: user.id,
      name: "Ada's license",
      key: options.licenseKey ?? `${options.slug.toUpperCase()}-1A2B3C-4D5E6F-V3`,
      expiry: null,
      suspended: false,
      metadata: { seats: { reservedFor: "ops" } },
      lastValidatedAt: null,
    });
    return { account: { id: account.id, slug: account.slug }, adminToken, product, policy, user, license };
  });
}
