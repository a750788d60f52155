import {
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
} from 'chart.js';
import { overlayPlugin } from './overlay.js';

/**
 * Only the chart.js parts the UI draws with (line and scatter charts on linear axes), so
 * that the bundle carries nothing else: no time adapter, the x axes are ms since the epoch
 * formatted by the tick callbacks. Imported once, by every module that makes a chart.
 */
Chart.register(LineController, ScatterController, LineElement, PointElement, LinearScale, Tooltip, Legend, overlayPlugin);
// Telemetry on a canvas is drawn text, never HTML: tooltips stay chart.js' canvas tooltips.
Chart.defaults.animation = false;
Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily || 'system-ui, sans-serif';

export { Chart };
