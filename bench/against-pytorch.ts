/**
 * Training speed of every template in NetCanvas against the same network exported to
 * PyTorch and trained by PyTorch (see electron/bench/against-pytorch.ts). Takes the options
 * of `netcanvas bench --against pytorch`; prints the table on stdout and progress on stderr.
 */
import { bench } from '../electron/bench/command.js';

process.exitCode = await bench(['--against', 'pytorch', ...process.argv.slice(2)]);
