; Inno Setup 6 script: the per-user Windows installer of ESI Desktop (see packaging/README.md).
;
; Build the frozen program first (uv run python packaging/build.py), then, from the repository:
;   iscc packaging\installer.iss                          (unsigned)
;   iscc /DSign "/Sesisign=signtool sign /fd SHA256 /tr http://timestamp.digicert.com /td SHA256 /a $f" packaging\installer.iss
;
; No administrator rights: PrivilegesRequired=lowest installs into the user's own Programs
; folder (%LOCALAPPDATA%\Programs\ESI Desktop) and the user's own Start menu.
;
; The user's database, backups, log and settings are NOT in the program folder: they live in
; %LOCALAPPDATA%\ESI Desktop\ESI Desktop (platformdirs, esi_desktop/database.py) and the
; registry key HKCU\Software\ESI Desktop\ESI Desktop (QSettings). Nothing here deletes them,
; on upgrade or on uninstall.

#define AppName "ESI Desktop"
#define AppPublisher "ESI Desktop"
#define AppExe "ESI Desktop.exe"
#define Bundle AddBackslash(SourcePath) + "dist\ESI Desktop"
; the version comes from the project: build.py writes esi_desktop/__init__.py's version into
; the executable's version resource, read back here (iscc /DAppVersion=x.y.z overrides)
#ifndef AppVersion
  #define AppVersion GetStringFileInfo(Bundle + "\" + AppExe, "ProductVersion")
#endif
#if AppVersion == ""
  #error Build the program first: uv run python packaging/build.py (no version found in dist)
#endif

[Setup]
; fixed for ever: Windows recognises an upgrade by it, which then replaces the program in place
AppId={{FBB31532-10F6-4F88-BB6B-469C5D8EEFA4}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
VersionInfoCompany={#AppPublisher}
PrivilegesRequired=lowest
; {userpf} is %LOCALAPPDATA%\Programs: the user's own, writable without administrator rights
DefaultDirName={userpf}\{#AppName}
DisableDirPage=auto
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
; an upgrade asks a running ESI Desktop to close first (every change is already saved)
CloseApplications=yes
RestartApplications=no
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
OutputDir=Output
OutputBaseFilename=ESI-Desktop-Setup-{#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; the installer's own icon: the program's (packaging/make_icon.py)
SetupIconFile=..\resources\icons\esi-desktop.ico
#ifdef Sign
; the signing command is given to iscc as /Sesisign=... (see the top of this file); the
; uninstaller is signed with it too
SignTool=esisign
SignedUninstaller=yes
#endif

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[InstallDelete]
; an upgrade replaces the program's own files whole, so nothing of an older version lingers;
; this is the program folder only, never the user's data folder
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "Answer an inspection report and follow the action plan"

[Run]
Filename: "{app}\{#AppExe}"; Description: "Open {#AppName} now"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete]: the database, its backups and the settings (registry) stay when the
; program is removed, so reinstalling (or a newer version) finds them. Only the sign-in value
; goes ([Code] below).

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  { the "start when I sign in" preference (esi_desktop/autostart.py) writes this value; once the
    program is removed it would start nothing, so it goes too. Data and settings stay. }
  if CurUninstallStep = usPostUninstall then
    RegDeleteValue(HKEY_CURRENT_USER, 'Software\Microsoft\Windows\CurrentVersion\Run',
      '{#AppName}');
end;
