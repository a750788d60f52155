import type { TimeWindow } from '../../api/endpoints.js';
import type { ServiceMap, ServiceMapEdge } from '../../api/wire.js';
import { serviceColor } from '../../format/service-colors.js';
import { formatDurationMs } from '../../format/units.js';
import { isModifiedClick, navigate } from '../../router/location.js';
import { layoutServiceMap, NODE_H, NODE_W, type NodeBox } from './map-layout.js';

const MS_PER_S = 1000;

const SECONDS_PER_MIN = 60;
const RATE_DIGITS = 2;

/** Two lines: "12 calls · 0.2/s" and "1 error · p95 35 ms". */
function edgeLabel(edge: ServiceMapEdge, window: TimeWindow): [string, string] {
  const perSecond = edge.calls / ((window.endMs - window.startMs) / MS_PER_S);
  const rate = perSecond >= 1 ? `${perSecond.toPrecision(RATE_DIGITS)}/s` : `${(perSecond * SECONDS_PER_MIN).toPrecision(RATE_DIGITS)}/min`;
  const calls = `${edge.calls} call${edge.calls === 1 ? '' : 's'} · ${rate}`;
  const errors = `${edge.errors} error${edge.errors === 1 ? '' : 's'} · p95 ${formatDurationMs(edge.p95Ms)}`;
  return [calls, errors];
}

function edgePath(from: NodeBox, to: NodeBox): string {
  const x1 = from.x + NODE_W;
  const y1 = from.y + NODE_H / 2;
  const x2 = to.x;
  const y2 = to.y + NODE_H / 2;
  const bend = Math.max(40, Math.abs(x2 - x1) / 2);
  return `M ${x1} ${y1} C ${x1 + bend} ${y1}, ${x2 - bend} ${y2}, ${x2} ${y2}`;
}

/**
 * Services as boxes, calls as arrows labelled with count, rate, errors and p95. SVG text is
 * text nodes (never markup), and each service is a link to a search filtered by it.
 */
export function ServiceMapView({ map, window, searchHref }: { map: ServiceMap; window: TimeWindow; searchHref: (service: string) => string }) {
  const layout = layoutServiceMap(map);
  const stats = new Map(map.nodes.map((n) => [n.name, n]));
  return (
    <svg
      class="service-map"
      viewBox={`0 0 ${layout.widthPx} ${layout.heightPx}`}
      width={layout.widthPx}
      height={layout.heightPx}
      role="group"
      aria-label="Service map: services and the calls between them"
      data-testid="service-map"
    >
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">
          <path d="M 0 0 L 10 5 L 0 10 z" class="map-arrow" />
        </marker>
      </defs>
      {map.edges.map((edge) => {
        const from = layout.nodes.get(edge.from);
        const to = layout.nodes.get(edge.to);
        if (from === undefined || to === undefined) return null;
        const midX = (from.x + NODE_W + to.x) / 2;
        const midY = (from.y + to.y + NODE_H) / 2;
        const [calls, errors] = edgeLabel(edge, window);
        return (
          <g key={`${edge.from}->${edge.to}`} class={edge.errors > 0 ? 'map-edge has-error' : 'map-edge'}>
            <title>{`${edge.from} → ${edge.to}: ${calls}, ${errors}`}</title>
            <path d={edgePath(from, to)} marker-end="url(#arrow)" />
            <text x={midX} y={midY - 8} text-anchor="middle">
              {calls}
            </text>
            <text x={midX} y={midY + 16} text-anchor="middle">
              {errors}
            </text>
          </g>
        );
      })}
      {[...layout.nodes.values()].map((node) => {
        const s = stats.get(node.name);
        const errorRate = s !== undefined && s.spanCount > 0 ? s.errorCount / s.spanCount : 0;
        const to = searchHref(node.name);
        return (
          <a
            key={node.name}
            href={to}
            class="map-node"
            onClick={(e: MouseEvent) => {
              if (isModifiedClick(e)) return;
              e.preventDefault();
              navigate(to);
            }}
          >
            <title>{`Search traces of ${node.name}`}</title>
            <rect x={node.x} y={node.y} width={NODE_W} height={NODE_H} rx={6} style={{ stroke: serviceColor(node.name) }} />
            <text x={node.x + 10} y={node.y + 22} class="map-node-name">
              {node.name.length > 22 ? `${node.name.slice(0, 21)}…` : node.name}
            </text>
            <text x={node.x + 10} y={node.y + 41} class={errorRate > 0 ? 'map-node-stats has-error' : 'map-node-stats'}>
              {s === undefined ? 'no spans of its own' : `${s.spanCount} spans · ${(errorRate * 100).toFixed(1)} % errors`}
            </text>
          </a>
        );
      })}
    </svg>
  );
}
