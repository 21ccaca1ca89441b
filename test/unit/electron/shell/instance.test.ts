import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { app, FakeEvent, resetDouble } from './electron-double.js';
import { claimSingleInstance, projectFileIn } from '../../../../electron/shell/instance.js';

vi.mock('electron', () => import('./electron-double.js'));

const argv = process.argv;
beforeEach(resetDouble);
afterEach(() => {
  process.argv = argv;
});

function recorder() {
  const calls: string[] = [];
  return { calls, handlers: { focus: () => calls.push('focus'), open: (file: string) => calls.push(`open ${file}`) } };
}

describe('the file on a command line', () => {
  it('is the last .json argument, resolved against the folder the launch ran in', () => {
    expect(projectFileIn(['/opt/NetCanvas/netcanvas', 'mnist.netcanvas.json'], '/home/a/work')).toBe(path.resolve('/home/a/work/mnist.netcanvas.json'));
    expect(projectFileIn(['electron', 'dist/electron/main.js', '--allow-file-access', '/tmp/x.json'], '/home/a')).toBe(path.resolve('/tmp/x.json'));
    // A desktop entry's %U passes addresses, with spaces escaped.
    expect(projectFileIn(['/opt/NetCanvas/netcanvas', 'file:///home/a/My%20nets/gan.netcanvas.json'], '/')).toBe('/home/a/My nets/gan.netcanvas.json');
    expect(projectFileIn(['/opt/NetCanvas/netcanvas', '--inspect=9229'], '/home/a')).toBeNull();
    expect(projectFileIn(['/opt/NetCanvas/netcanvas', 'notes.txt'], '/home/a')).toBeNull();
  });
});

describe('a single NetCanvas', () => {
  it('is not claimed when another NetCanvas holds the lock', () => {
    app.lockAvailable = false;
    const { calls, handlers } = recorder();
    expect(claimSingleInstance(handlers).acquired).toBe(false);
    app.emit('second-instance', new FakeEvent(), ['netcanvas', 'a.json'], '/');
    expect(calls).toEqual([]);
  });

  it('opens the file of its own command line once its window is ready', () => {
    process.argv = ['/opt/NetCanvas/netcanvas', '/home/a/first.netcanvas.json'];
    const { calls, handlers } = recorder();
    const instance = claimSingleInstance(handlers);
    expect(app.lockRequested).toBe(true);
    expect(calls).toEqual([]);
    instance.ready();
    expect(calls).toEqual([`open ${path.resolve('/home/a/first.netcanvas.json')}`]);
  });

  it('comes to the front when launched again, and opens the file the second launch was given', () => {
    process.argv = ['/opt/NetCanvas/netcanvas'];
    const { calls, handlers } = recorder();
    claimSingleInstance(handlers).ready();
    app.emit('second-instance', new FakeEvent(), ['/opt/NetCanvas/netcanvas', 'b.netcanvas.json'], '/home/b');
    app.emit('second-instance', new FakeEvent(), ['/opt/NetCanvas/netcanvas'], '/home/b');
    expect(calls).toEqual(['focus', `open ${path.resolve('/home/b/b.netcanvas.json')}`, 'focus']);
  });

  it('takes a Mac’s open-file, before the app is ready as after', () => {
    process.argv = ['/Applications/NetCanvas.app/Contents/MacOS/NetCanvas'];
    const { calls, handlers } = recorder();
    const instance = claimSingleInstance(handlers);
    const early = new FakeEvent();
    app.emit('open-file', early, '/Users/c/early.netcanvas.json');
    expect(early.defaultPrevented).toBe(true);
    expect(calls).toEqual([]);
    instance.ready();
    app.emit('open-file', new FakeEvent(), '/Users/c/later.netcanvas.json');
    expect(calls).toEqual([`open ${path.resolve('/Users/c/early.netcanvas.json')}`, 'focus', `open ${path.resolve('/Users/c/later.netcanvas.json')}`]);
  });
});
