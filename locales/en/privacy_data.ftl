## Personal data kept safe: link codes that expire, a limit on wrong /link codes

spec-linkcode-expires = ⏳ The code works for a day, until { $until }.
spec-link-expired = This code has expired: a code works for a day after it is made. Please ask the administrator for a new one. Nothing has changed.
spec-link-too-many = Too many wrong codes in the last hour. For security, please try again in { $minutes } min or ask the administrator for a new code.
