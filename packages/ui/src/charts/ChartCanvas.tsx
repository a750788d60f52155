import type { ChartConfiguration } from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';
import { setOverlay, type Overlay } from './overlay.js';
import { Chart } from './register.js';

interface Props {
  /** Built with useMemo by the caller: a new object rebuilds the chart. */
  config: ChartConfiguration;
  overlay?: Overlay;
  /** What the chart shows, for screen readers (a canvas has no text of its own). */
  label: string;
  heightPx: number;
  id?: string;
  /** The pointer left the chart (chart.js reports hovers inside its area only). */
  onPointerLeave?: () => void;
}

/**
 * One chart.js chart on a canvas. The chart is built when `config` changes and destroyed on
 * unmount; an `overlay` change only redraws it.
 */
export function ChartCanvas({ config, overlay, label, heightPx, id, onPointerLeave }: Props) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const chartRef = useRef<Chart | null>(null);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (canvas === null) return;
    const chart = new Chart(canvas, config);
    chartRef.current = chart;
    return () => {
      chartRef.current = null;
      chart.destroy();
    };
  }, [config]);

  useEffect(() => {
    const chart = chartRef.current;
    if (chart === null || overlay === undefined) return;
    setOverlay(chart, overlay);
    chart.draw();
  }, [overlay, config]);

  return (
    <div class="chart" style={{ height: `${heightPx}px` }} id={id} onPointerLeave={onPointerLeave}>
      <canvas ref={canvasRef} role="img" aria-label={label}>
        {label}
      </canvas>
    </div>
  );
}
