/** The command menu, per language, as `setMyCommands` takes it (npm run bot:setup). */
import type { Lang } from './i18n';

export const COMMANDS: Record<Lang, Array<{ command: string; description: string }>> = {
  en: [
    { command: 'check', description: 'Availability of names (with prices)' },
    { command: 'info', description: 'Expiry, status, nameservers of a domain' },
    { command: 'expiring', description: 'Domains and services expiring soon' },
    { command: 'services', description: 'Hosting, mail and certificates by expiry' },
    { command: 'balance', description: 'Balance of every registrar account' },
    { command: 'price', description: 'Renewal prices across registrars' },
    { command: 'renew', description: 'Renew a domain or a service (asks to confirm)' },
    { command: 'renewals', description: 'Recent renewals' },
    { command: 'subscribe', description: 'Expiry reminders and balance alerts here' },
    { command: 'unsubscribe', description: 'Stop reminders and alerts' },
    { command: 'help', description: 'What I can do' },
  ],
  zh: [
    { command: 'check', description: '查询域名是否可注册（含价格）' },
    { command: 'info', description: '域名到期日、状态、DNS' },
    { command: 'expiring', description: '即将到期的域名和服务' },
    { command: 'services', description: '主机、邮局和证书（按到期日）' },
    { command: 'balance', description: '各注册商账户余额' },
    { command: 'price', description: '各注册商续费价格' },
    { command: 'renew', description: '续费域名或服务（需确认）' },
    { command: 'renewals', description: '最近的续费' },
    { command: 'subscribe', description: '在这里接收到期和余额提醒' },
    { command: 'unsubscribe', description: '停止提醒' },
    { command: 'help', description: '我能做什么' },
  ],
};
