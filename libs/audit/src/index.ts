export { toAuditEvent, parseInstant, AuditInputError, type AuditEvent } from './audit-event';
export { historyFilter, streamHistory, type HistoryFilter } from './history';
export { verifyStreamChain, type ChainFinding, type ChainProblem } from './chain-verify';
export { verifyChains, type VerifyReport } from './verify';
export { postgresAuditSource, readAllUpToHead, type AuditSource } from './audit-source';
export { schoolStateAsOf, teacherStateAsOf, schoolStreamFor, teacherStreamFor, type StateAsOf } from './state-as-of';
export { exportEvents, lastExportedPosition, type ExportOptions, type ExportProgress, type ExportResult } from './export-events';
export { AuditModule } from './audit.module';
export { auditApiOperations } from './audit.api';
