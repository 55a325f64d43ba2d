import type { Projection } from '@ect/projection-runtime';
import { schoolOverviewProjection } from './school-overview/school-overview.projection';
import { teacherHistoryProjection } from './teacher-history/teacher-history.projection';

export { schoolOverviewProjection, SCHOOL_OVERVIEW } from './school-overview/school-overview.projection';
export { schoolOverview, isLinkedInOverview } from './school-overview/school-overview.query';
export { teacherHistoryProjection, TEACHER_HISTORY } from './teacher-history/teacher-history.projection';
export { teacherHistory } from './teacher-history/teacher-history.query';

/** Every read model the projector runs and the API reads. */
export const readModelProjections: Projection[] = [schoolOverviewProjection, teacherHistoryProjection];
export { ReadModelsModule } from './read-models.module';
export { readModelApiOperations } from './read-models.api';
