import { ProjectList } from './ProjectList';
import { runCommand } from '../commands/handlers';
import { Dialog } from '../panels/Dialog';
import { chooseAndOpen, openPath } from '../stores/fileActions';
import { useProjectStore } from '../stores/projectStore';
import { closeDialog } from '../stores/uiStore';

/** Open: the recent files and the projects folder's, newest first; on the desktop, any file through the native dialog. */
export function OpenProjectDialog() {
  const listed = useProjectStore((s) => s.listed);
  const dir = useProjectStore((s) => s.projectsDir);
  const native = useProjectStore((s) => s.dialogs);
  const recent = listed?.recent.filter((r) => !listed.projects.some((p) => p.path === r.path)) ?? [];
  return (
    <Dialog title="Open a project" onClose={closeDialog} className="open-dialog" testId="open-dialog">
      {native && (
        <div className="dialog-actions open-native">
          <button className="primary" onClick={() => void chooseAndOpen()} data-autofocus>
            Choose a file…
          </button>
        </div>
      )}
      {!listed ? (
        <p className="muted">Reading the projects folder…</p>
      ) : (
        <>
          <h3>In {dir}</h3>
          <ProjectList files={listed.projects} onOpen={(path) => void openPath(path)} empty="No projects saved here yet: Save puts them here." />
          {recent.length > 0 && (
            <>
              <h3>Recent elsewhere</h3>
              <ProjectList files={recent} onOpen={(path) => void openPath(path)} empty="" />
            </>
          )}
        </>
      )}
      {!native && (
        <p className="muted small">
          A file from somewhere else: <button className="link-button" onClick={() => runCommand('file.upload')}>Upload a file…</button>
        </p>
      )}
    </Dialog>
  );
}
