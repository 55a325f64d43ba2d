export {
  defineProjection,
  liveSchema,
  rebuildSchema,
  type Projection,
  type ProjectionContext,
  type ProjectionHandler,
  type ProjectionMigration,
  type ProjectionMode,
} from './projection';
export { projectionMigrations } from './projection-schema';
export { ProjectionHandlerError } from './apply-batch';
export type { ProjectionFailure, ProjectionState, ProjectionStatus } from './projection-status';
export { startProjector, type Projector, type ProjectorHealth, type ProjectorOptions, type ProjectionHealth } from './projector';
export { serveProjectorHttp, type ProjectorHttp } from './projector-http';
export { createPositionWaiter, ReadModelBehindError, type PositionWaiter } from './wait-for-position';
export { rebuildProjection, RebuildInProgressError, type RebuildOptions, type RebuildProgress, type RebuildResult } from './rebuild';
export { isLockHeld, holderLockKey } from './projection-lock';
export { verifyProjection, verifySchema, VerifyAbortedError, VerifyBusyError, ProjectionNotDeployedError, type TableComparison, type VerifyOptions, type VerifyProgress, type VerifyResult } from './verify';
