/**
 * Every CPU core: each template trained on one thread and with its batches split over all of
 * them (see electron/bench/threads.ts). Takes the options of `netcanvas bench --cores`; prints
 * the table on stdout and progress on stderr.
 */
import { bench } from '../electron/bench/command.js';

process.exitCode = await bench(['--cores', ...process.argv.slice(2)]);
