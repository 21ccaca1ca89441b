import { runFromMenu } from './keyboard';
import { api } from '../api';
import { isCommandId } from '../../shared/commands/registry';

/** The desktop menus send the id of the command chosen; it runs as if chosen here. */
export function installMenuCommands(): () => void {
  return api.onEvent((event) => {
    if (event.topic === 'command' && isCommandId(event.command)) runFromMenu(event.command, event.byKeys === true);
  });
}
