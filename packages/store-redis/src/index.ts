/**
 * Redis pin store for Strata: durable (with Redis persistence) pins shared by every
 * instance of an app, with change notification over pub/sub.
 *
 * @example
 * import { redisPins } from "@strata/store-redis";
 * app.use(versioning({ versions, pins: redisPins({ url: process.env.REDIS_URL }) }));
 *
 * @packageDocumentation
 */
export { redisPins, type RedisPinStore } from "./redis-pins";
export type { RedisUsage } from "./usage";
export type { RedisPinsOptions } from "./options";
