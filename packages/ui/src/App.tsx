import { useApi } from './api/useApi.js';
import { api } from './api/endpoints.js';
import { ContainerPage } from './pages/containers/ContainerPage.js';
import { ContainersPage } from './pages/containers/ContainersPage.js';
import { LogsPage } from './pages/logs/LogsPage.js';
import { MetricsPage } from './pages/metrics/MetricsPage.js';
import { SearchPage } from './pages/search/SearchPage.js';
import { ServicesPage } from './pages/services/ServicesPage.js';
import { TracePage } from './pages/trace/TracePage.js';
import { Link } from './router/Link.js';
import { useLocation, type AppLocation } from './router/location.js';
import { Empty } from './components/States.js';

const TRACE_PATH = /^\/traces\/([0-9a-fA-F]{32})\/?$/;
const CONTAINER_PATH = /^\/containers\/([0-9a-fA-F]{64})\/?$/;

const NAV = [
  { to: '/search', label: 'Search', match: (p: string) => p === '/' || p === '/search' || p.startsWith('/traces/') },
  { to: '/services', label: 'Services', match: (p: string) => p === '/services' },
  { to: '/containers', label: 'Containers', match: (p: string) => p.startsWith('/containers') },
  { to: '/logs', label: 'Logs', match: (p: string) => p === '/logs' },
  { to: '/metrics', label: 'Metrics', match: (p: string) => p === '/metrics' },
] as const;

function Page({ location }: { location: AppLocation }) {
  const { path } = location;
  if (path === '/' || path === '/search') return <SearchPage location={location} />;
  const trace = TRACE_PATH.exec(path);
  if (trace?.[1] !== undefined) return <TracePage key={trace[1]} traceId={trace[1].toLowerCase()} location={location} />;
  if (path === '/services') return <ServicesPage location={location} />;
  if (path === '/containers') return <ContainersPage location={location} />;
  const container = CONTAINER_PATH.exec(path);
  if (container?.[1] !== undefined) return <ContainerPage key={container[1]} containerId={container[1].toLowerCase()} location={location} />;
  if (path === '/logs') return <LogsPage location={location} />;
  if (path === '/metrics') return <MetricsPage location={location} />;
  return (
    <Empty title={`No page at ${path}.`}>
      <p>
        Trace links look like /traces/ followed by 32 hex digits. <Link to="/search">Search traces</Link>.
      </p>
    </Empty>
  );
}

function HealthBadge() {
  const [health] = useApi((signal) => api.health(signal), []);
  if (health.state === 'loading') return null;
  if (health.state === 'error') {
    return (
      <span class="health health-bad" role="status" title={health.failure.message}>
        collector unreachable
      </span>
    );
  }
  const { version, docker } = health.value;
  return (
    <span class={docker.connected ? 'health' : 'health health-warn'} role="status">
      v{version} · Docker {docker.connected ? 'connected' : 'not connected'}
    </span>
  );
}

/** The app shell: navigation, the health of the collector, and the page of the URL. */
export function App() {
  const location = useLocation();
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="app-header">
        <Link to="/search" class="brand">
          tracedock
        </Link>
        <nav aria-label="Main">
          {NAV.map((item) => (
            <Link key={item.to} to={item.to} aria-current={item.match(location.path) ? 'page' : undefined}>
              {item.label}
            </Link>
          ))}
        </nav>
        <HealthBadge />
      </header>
      <main id="main" tabIndex={-1}>
        <Page location={location} />
      </main>
    </>
  );
}
