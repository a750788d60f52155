/**
 * The instrumentations that @opentelemetry/auto-instrumentations-node 0.82 bundles: short name (as
 * OTEL_NODE_ENABLED_INSTRUMENTATIONS spells it) → the class its package exports. The meta-package
 * does not export this list, and a misspelt name must fail at start rather than silently
 * instrument nothing.
 */
export const INSTRUMENTATION_PREFIX = '@opentelemetry/instrumentation-';

export const INSTRUMENTATION_CLASSES = {
  amqplib: 'AmqplibInstrumentation',
  'aws-lambda': 'AwsLambdaInstrumentation',
  'aws-sdk': 'AwsInstrumentation',
  bunyan: 'BunyanInstrumentation',
  'cassandra-driver': 'CassandraDriverInstrumentation',
  connect: 'ConnectInstrumentation',
  cucumber: 'CucumberInstrumentation',
  dataloader: 'DataloaderInstrumentation',
  dns: 'DnsInstrumentation',
  express: 'ExpressInstrumentation',
  fs: 'FsInstrumentation',
  'generic-pool': 'GenericPoolInstrumentation',
  graphql: 'GraphQLInstrumentation',
  grpc: 'GrpcInstrumentation',
  hapi: 'HapiInstrumentation',
  'host-metrics': 'HostMetricsInstrumentation',
  http: 'HttpInstrumentation',
  ioredis: 'IORedisInstrumentation',
  kafkajs: 'KafkaJsInstrumentation',
  knex: 'KnexInstrumentation',
  koa: 'KoaInstrumentation',
  'lru-memoizer': 'LruMemoizerInstrumentation',
  memcached: 'MemcachedInstrumentation',
  mongodb: 'MongoDBInstrumentation',
  mongoose: 'MongooseInstrumentation',
  mysql: 'MySQLInstrumentation',
  mysql2: 'MySQL2Instrumentation',
  'nestjs-core': 'NestInstrumentation',
  net: 'NetInstrumentation',
  openai: 'OpenAIInstrumentation',
  oracledb: 'OracleInstrumentation',
  pg: 'PgInstrumentation',
  pino: 'PinoInstrumentation',
  redis: 'RedisInstrumentation',
  restify: 'RestifyInstrumentation',
  router: 'RouterInstrumentation',
  'runtime-node': 'RuntimeNodeInstrumentation',
  'socket.io': 'SocketIoInstrumentation',
  tedious: 'TediousInstrumentation',
  undici: 'UndiciInstrumentation',
  winston: 'WinstonInstrumentation',
} as const;

export type InstrumentationName = keyof typeof INSTRUMENTATION_CLASSES;

export const KNOWN_INSTRUMENTATIONS = Object.keys(INSTRUMENTATION_CLASSES) as InstrumentationName[];

/**
 * Off unless asked for. fs, dns and net make a span per syscall-level operation (noise, and most of
 * the plain setup's overhead); host-metrics samples the whole host on timers (tracedock's collector
 * reads each container's cgroup instead); cucumber and aws-lambda only matter in test runners and
 * Lambda. router: Express 5 is built on the `router` package, whose instrumentation makes a span
 * per middleware of every request (the noise `expressLayers` controls through the express
 * instrumentation instead).
 */
export const DEFAULT_DISABLED_INSTRUMENTATIONS: readonly string[] = [
  'fs', 'dns', 'net', 'host-metrics', 'cucumber', 'aws-lambda', 'router',
];

/**
 * The instrumentations whose metrics the SDK exports: on by default while metrics are exported,
 * off otherwise. Every other instrumentation gets a no-op meter (see metrics/instrumentation-meters.ts).
 */
export const METRICS_INSTRUMENTATIONS: readonly InstrumentationName[] = ['runtime-node'];
