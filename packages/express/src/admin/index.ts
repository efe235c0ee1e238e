export { versioningAdmin, type VersioningAdminRouter } from "./router";
export type { VersioningAdminOptions } from "./options";
export type { AdminState, AdminVersion } from "./state";
export type { AdminUsage, AdminVersionUsage } from "./usage";
export type { AdminPageOptions } from "./page/routes";
export type { PageDifference } from "./page/render";
export {
  AdminError,
  NoAccountError,
  NotAllowedError,
  InvalidAdminRequestError,
  NotAnUpgradeError,
  VersionNotReleasedError,
  PreviewVersionError,
  RollbackWindowClosedError,
  NothingToRollBackError,
  AdminStoreUnavailableError,
  AdminMethodNotAllowedError,
  type AdminAction,
} from "./errors";
