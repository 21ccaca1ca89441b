/**
 * Training speed of every template compiled by NetCanvas against the same network written
 * by hand in tfjs (see electron/bench/training-speed.ts). Takes the options of
 * `netcanvas bench`; prints the table on stdout and progress on stderr.
 */
import { bench } from '../electron/bench/command.js';

process.exitCode = await bench(process.argv.slice(2));
