export * from './contract-periods';
