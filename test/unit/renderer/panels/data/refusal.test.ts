import { describe, expect, it } from 'vitest';
import { isRefusal } from '../../../../../renderer/panels/data/refusal.js';

describe('which errors the data panel shows as "NetCanvas will not read this data"', () => {
  it('is a path NetCanvas may not read, or a file it will not, and not a request that failed its checks', () => {
    expect(isRefusal('FORBIDDEN')).toBe(true);
    expect(isRefusal('FILE_REFUSED')).toBe(true);
    // A request the Backend could not check (a schema failure) says so as the request's own error.
    for (const code of ['INVALID_REQUEST', 'INTERNAL', 'IO', 'NOT_FOUND', null]) expect(isRefusal(code), String(code)).toBe(false);
  });
});
