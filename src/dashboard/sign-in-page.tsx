/** The sign-in form: one field labelled "API key" and a "Sign in" button. */

import type { MessageKey } from './i18n';
import { type Frame, Page } from './layout';

export function SignInPage({ frame, notice }: { frame: Frame; notice?: MessageKey }) {
  const { t } = frame;
  return (
    <Page frame={frame} title={t('signIn')}>
      <h1>{t('signInTitle')}</h1>
      {notice && (
        <p class="notice" role="alert">
          {t(notice)}
        </p>
      )}
      <form method="post" action="/app/sign-in" class="sign-in">
        <p>{t('signInHelp')}</p>
        <label for="api-key">{t('apiKey')}</label>
        <input id="api-key" name="key" type="password" autocomplete="off" spellcheck={false} required />
        <button type="submit">{t('signIn')}</button>
      </form>
    </Page>
  );
}
