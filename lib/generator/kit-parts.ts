/**
 * The service kit's parts as `foundation new service --with` lists them in its help (which loads no
 * template); tests/unit/generator-kit.test.ts fails when this differs from service-template/template.json.
 */
export const KIT_PARTS = ['postgres', 'redis', 'http-client', 'grpc', 'auth'] as const;
