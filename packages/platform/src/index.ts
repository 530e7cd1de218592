export { ConfigError, commaList, parseConfig, port } from './config/parse-config';
export { createLogger, type Logger, type LoggerSettings } from './logger/logger';
export { closeOnSignals, type Closer } from './lifecycle/shutdown';
export { handleHealth, readiness, type ReadinessCheck, type ReadinessReport } from './lifecycle/health';
export { closeServer, listenHttpService, type HttpServiceSettings } from './lifecycle/run-http-service';
export { runMain } from './lifecycle/run-main';
