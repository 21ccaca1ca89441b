; Included by electron-builder's NSIS installer. Project files are named *.netcanvas.json, and
; Windows reads a file's type from its last extension only, so NetCanvas joins the "Open with"
; list of .json files instead of taking them over as their default program.
!macro customInstall
  WriteRegStr SHELL_CONTEXT "Software\Classes\NetCanvas.Project" "" "NetCanvas project"
  WriteRegStr SHELL_CONTEXT "Software\Classes\NetCanvas.Project\DefaultIcon" "" "$appExe,0"
  WriteRegStr SHELL_CONTEXT "Software\Classes\NetCanvas.Project\shell\open\command" "" '"$appExe" "%1"'
  WriteRegNone SHELL_CONTEXT "Software\Classes\.json\OpenWithProgids" "NetCanvas.Project"
  ; SHCNE_ASSOCCHANGED, SHCNF_FLUSH: Explorer rereads the associations.
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0x1000, p 0, p 0)'
!macroend

!macro customUnInstall
  DeleteRegValue SHELL_CONTEXT "Software\Classes\.json\OpenWithProgids" "NetCanvas.Project"
  DeleteRegKey SHELL_CONTEXT "Software\Classes\NetCanvas.Project"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0x1000, p 0, p 0)'
!macroend
