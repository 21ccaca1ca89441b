import { ConfirmDialog } from './ConfirmDialog';
import { ExportDialog } from './ExportDialog';
import { OpenProjectDialog } from './OpenProjectDialog';
import { RecoveryDialog } from './RecoveryDialog';
import { SaveAsDialog } from './SaveAsDialog';
import { ShortcutsDialog } from './ShortcutsDialog';
import { TemplatesDialog } from './TemplatesDialog';
import { CommandPalette } from '../commands/CommandPalette';
import { QuickPick } from '../commands/QuickPick';
import { SummaryDialog } from '../panels/SummaryTable';
import { StartScreen } from '../start/StartScreen';
import { closeDialog, useUiStore } from '../stores/uiStore';

/** The one open dialog (or list to pick from), and a question asked over it. */
export function DialogHost() {
  const dialog = useUiStore((s) => s.dialog);
  const picker = useUiStore((s) => s.picker);
  return (
    <>
      {picker && <QuickPick {...picker} onClose={closeDialog} />}
      {dialog === 'commands' && <CommandPalette layersOnly={false} onClose={closeDialog} />}
      {dialog === 'add-layer' && <CommandPalette layersOnly onClose={closeDialog} />}
      {dialog === 'open' && <OpenProjectDialog />}
      {dialog === 'save-as' && <SaveAsDialog />}
      {dialog === 'templates' && <TemplatesDialog />}
      {dialog === 'shortcuts' && <ShortcutsDialog />}
      {dialog === 'summary' && <SummaryDialog onClose={closeDialog} />}
      {dialog === 'recovery' && <RecoveryDialog />}
      {dialog === 'export-run' && <ExportDialog />}
      {dialog === 'start' && <StartScreen />}
      <ConfirmDialog />
    </>
  );
}
