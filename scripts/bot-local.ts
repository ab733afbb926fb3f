/**
 * `npm run bot:local`: try the Telegram bot with no Telegram and no internet. It starts the fake
 * Bot API the tests use (test/setup/fake-telegram.ts) and the whole local product as `npm start`
 * does, with the bot's variables pointing at the fake, then a chat prompt: type `/check
 * example.com` and read the bot's replies; tap a button by typing its number or its label. The
 * updates go to the worker's real `/telegram/webhook`, so the bot that answers is the deployed
 * code. Ctrl-C or the end of input (Ctrl-D, or a piped transcript's end) stops everything.
 *
 *   npm run bot:local [-- --lang=zh] [-- --role=viewer]
 *
 * Its local state is fresh on each run (not `npm start`'s), and its port is free unless PORT says.
 */
import { randomBytes } from 'node:crypto';
import { createInterface, type Interface } from 'node:readline';
import { parseArgs } from 'node:util';
import { startFakeTelegram } from '../test/setup/fake-telegram';
import { Chat } from './bot-chat';
import { forwardUpdate } from './bot-poll';
import { runLocal } from './local-run';

const { values: args } = parseArgs({
  options: { lang: { type: 'string', default: 'en' }, role: { type: 'string', default: 'operator' } },
});
if (args.role !== 'operator' && args.role !== 'viewer') {
  console.error('--role is operator or viewer');
  process.exit(2);
}

const chat = new Chat({ id: 7_000_001, first_name: 'Local', username: 'local_user' }, args.lang);
// Created once the bot can answer, so nothing typed during the start-up is lost.
let rl: Interface | undefined;
/** While a typed line is handled, its replies are printed under it; the prompt follows after. */
let handling = false;
const fake = await startFakeTelegram({
  onCall: (call) => {
    const lines = chat.render(call);
    if (lines.length === 0) return;
    console.log(lines.join('\n'));
    // A reply that arrives later (a renewal's result) gets a fresh prompt under it.
    if (!handling) rl?.prompt();
  },
});
const secret = randomBytes(16).toString('hex');

await runLocal(
  {
    env: {
      ...process.env,
      // The fake stands in for Telegram whatever the environment says about the real one.
      TELEGRAM_BOT_TOKEN: '7000000:local-fake-bot',
      TELEGRAM_WEBHOOK_SECRET: secret,
      TELEGRAM_API_ROOT: fake.url,
      TELEGRAM_USERS: `${chat.user.id}:${args.role}`,
      TELEGRAM_BOT_INFO: '',
    },
    port: process.env.PORT ? Number(process.env.PORT) : undefined,
  },
  async ({ local, stop }) => {
    console.log(
      `bot:local ready — you are ${chat.user.first_name} (${args.role}, ${args.lang}) in a private chat with the bot at ${local.url}.`,
    );
    console.log('Type /help or /check example.com; tap a button by typing its number or label; Ctrl-C ends.');
    rl = createInterface({ input: process.stdin, output: process.stdout, prompt: 'you> ' });
    rl.prompt();
    for await (const line of rl) {
      const typed = line.trim();
      // A terminal echoes what was typed; a piped transcript is echoed here, so it reads as a chat.
      if (!process.stdin.isTTY) console.log(typed);
      if (typed) {
        handling = true;
        const status = await forwardUpdate(local.url, secret, chat.updateFor(typed));
        if (status !== 200) console.log(`(the worker answered ${status})`);
        handling = false;
      }
      rl.prompt();
    }
    await stop('end of input');
  },
);
