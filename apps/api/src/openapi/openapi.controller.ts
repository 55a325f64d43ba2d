import { Controller, Get, Header, Inject } from '@nestjs/common';
import { buildOpenApiDocument, renderDocsPage, type ApiOperation } from '@ect/nest-kit';

export const API_OPERATIONS = Symbol('API_OPERATIONS');

const healthOperations: ApiOperation[] = [
  { method: 'get', path: '/health/live', operationId: 'live', summary: 'The process answers', tag: 'health', roles: [], responses: { 200: { description: 'Alive' } }, errors: [] },
  {
    method: 'get',
    path: '/health/ready',
    operationId: 'ready',
    summary: 'The database and the event store answer',
    tag: 'health',
    roles: [],
    responses: { 200: { description: 'Ready' } },
    errors: [[503, 'NOT_READY']],
  },
];

@Controller()
export class OpenApiController {
  private readonly document: ReturnType<typeof buildOpenApiDocument>;
  private readonly page: string;

  constructor(@Inject(API_OPERATIONS) operations: ApiOperation[]) {
    this.document = buildOpenApiDocument([...healthOperations, ...operations], {
      title: 'ect-register API',
      version: '1',
      description:
        'Records which people may act for a school in the early-career-teacher programme, the school induction tutor, and the ECTs and mentors each school registered. Callers are internal services with a bearer token.',
    });
    this.page = renderDocsPage(this.document);
  }

  @Get('openapi.json')
  openapi() {
    return this.document;
  }

  @Get('docs')
  @Header('content-type', 'text/html; charset=utf-8')
  docs() {
    return this.page;
  }
}
