/**
 * What became of the spans (or log records) of one signal, counted where they pass: into the
 * bounded queue, out of it to the exporter, and confirmed or given up. Nothing is lost
 * uncounted: accepted = exported + droppedExportFailed + queued + inFlight at any moment.
 */

export interface SignalStats {
  /** Entered the bounded queue. */
  accepted: number;
  /** Confirmed by the collector. */
  exported: number;
  /** Lost: droppedQueueFull + droppedExportFailed. */
  dropped: number;
  /** Turned away because the queue held maxQueueSize records (collector slow or down). */
  droppedQueueFull: number;
  /** Given up after retrying for the batch's exportTimeoutMillis, or refused by the collector (4xx). */
  droppedExportFailed: number;
  /** Waiting in the queue now. */
  queued: number;
  /** Handed to the exporter and not yet confirmed or given up. */
  inFlight: number;
  /** Export attempts repeated after a failure. */
  retries: number;
}

export interface SdkStats {
  spans: SignalStats;
  logs: SignalStats;
  /**
   * Counted per collection (one OTLP request each), not per data point: accepted = collections
   * made, droppedExportFailed = collections the collector did not confirm. Metrics have no queue
   * (queued and droppedQueueFull stay 0) and no retries: the SDK keeps one cumulative value per
   * series and every export sends them all, so a failed one loses no total — the next carries it.
   */
  metrics: SignalStats;
}

export class DeliveryCounter {
  accepted = 0;
  /** Left the queue for the exporter. */
  handed = 0;
  exported = 0;
  droppedQueueFull = 0;
  droppedExportFailed = 0;
  retries = 0;

  get queued(): number {
    return this.accepted - this.handed;
  }

  snapshot(): SignalStats {
    return {
      accepted: this.accepted,
      exported: this.exported,
      dropped: this.droppedQueueFull + this.droppedExportFailed,
      droppedQueueFull: this.droppedQueueFull,
      droppedExportFailed: this.droppedExportFailed,
      queued: this.queued,
      inFlight: this.handed - this.exported - this.droppedExportFailed,
      retries: this.retries,
    };
  }
}
