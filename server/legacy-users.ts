// The FreePascal prototype's accounts file, wekandata/users.csv: no header, one account per line,
// `username:password:email:isAdmin`, the password in plain text. A password may itself hold colons, so
// the line is read from both ends: the first field is the username, the last two are email and isAdmin,
// and everything between is the password.
import { inWords, translator } from './i18n/messages.js';
import { checkEmail, checkUsername } from './validation.js';

export interface LegacyAccount {
  line: number;
  username: string;
  password: string;
  email: string | null;
  isAdmin: boolean;
}

export interface LegacyProblem {
  line: number;
  reason: string;
}

export function parseLegacyUsers(text: string): { accounts: LegacyAccount[]; problems: LegacyProblem[] } {
  const accounts: LegacyAccount[] = [];
  const problems: LegacyProblem[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '' || raw.startsWith('#')) return;
    const fields = raw.split(':');
    if (fields.length < 4) {
      problems.push({ line, reason: 'expected username:password:email:isAdmin' });
      return;
    }
    const username = checkUsername(fields[0]!);
    const adminField = fields.at(-1)!.trim().toLowerCase();
    const emailField = fields.at(-2)!.trim();
    const password = fields.slice(1, -2).join(':');
    const email = emailField ? checkEmail(emailField) : null;
    if (!username.ok) problems.push({ line, reason: `username: ${inWords(username.error, translator('en'))}` });
    else if (email && !email.ok) problems.push({ line, reason: `email: ${inWords(email.error, translator('en'))}` });
    else if (!/^(0|1|true|false|yes|no|)$/.test(adminField)) problems.push({ line, reason: `isAdmin is "${adminField}": use 1 or 0` });
    else if (password === '') problems.push({ line, reason: 'the password is empty' });
    else {
      accounts.push({ line, username: username.value, password, email: email?.ok ? email.value : null,
        isAdmin: ['1', 'true', 'yes'].includes(adminField) });
    }
  });
  return { accounts, problems };
}
