/** What the dashboard shows instead of the API's problem+json. */
import type { MessageKey } from './i18n';
import { type Frame, Page } from './layout';

export function ErrorPage({
  frame,
  message,
  details,
}: {
  frame: Frame;
  message: MessageKey;
  details?: string[];
}) {
  const { t } = frame;
  return (
    <Page frame={frame} title={t('errorTitle')}>
      <h1>{t('errorTitle')}</h1>
      <p role="alert">{t(message)}</p>
      {details && details.length > 0 && (
        <ul>
          {details.map((d) => (
            <li>{d}</li>
          ))}
        </ul>
      )}
      <p>
        <a href="/app">{t('backToPortfolio')}</a>
      </p>
    </Page>
  );
}
