export * from './school.events';
export * from './school.commands';
export * from './school.errors';
export * from './school.state';
export * from './school.queries';
export * from './school.view';
export * from './school.decider';
export { isValidEmail, isValidUserId, sameEmail, MAX_EMAIL_LENGTH, MAX_PERSON_NAME_LENGTH, MAX_SCHOOL_NAME_LENGTH } from './school.validation';
