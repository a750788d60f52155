import type { LogDetails } from './log-details.js';

/**
 * What a log record carries beyond its message, under its row: the exception (type and
 * message, the stack trace preformatted and scrollable) and the other attributes as key=value.
 */
export function LogDetail({ details }: { details: LogDetails }) {
  const { exception, attributes } = details;
  return (
    <>
      {exception !== undefined && (
        <div class="log-exception">
          <p class="error-text">
            <strong class="mono">{exception.type === '' ? 'exception' : exception.type}</strong>
            {exception.message !== '' && `: ${exception.message}`}
          </p>
          {exception.stacktrace !== '' && (
            // A scrollable box: reachable by keyboard, named for screen readers.
            <pre class="stacktrace" role="region" aria-label="Stack trace" tabIndex={0}>
              {exception.stacktrace}
            </pre>
          )}
        </div>
      )}
      {attributes.length > 0 && (
        <ul class="log-attrs" aria-label="Log attributes">
          {attributes.map(({ key, text }) => (
            <li key={key}>
              <span class="muted">{key}</span>=<span class="mono">{text}</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
