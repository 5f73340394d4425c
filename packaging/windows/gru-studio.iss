; Inno Setup script: a Windows installer around the PyInstaller folder.
; Build the folder first (python packaging\build.py --smoke), then: iscc packaging\windows\gru-studio.iss
#define AppVersion GetEnv("GRU_STUDIO_VERSION")
#if AppVersion == ""
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6B0E6C52-2F5B-4C1E-9C1B-6A3F4E7D2B10}
AppName=GRU Studio
AppVersion={#AppVersion}
AppPublisher=GRU Studio
DefaultDirName={autopf}\GRU Studio
DefaultGroupName=GRU Studio
OutputDir=..\..\dist
OutputBaseFilename=GRU-Studio-{#AppVersion}-windows-setup
SetupIconFile=..\build\gru-studio.ico
Compression=lzma2/max
SolidCompression=yes
ArchitecturesInstallIn64BitMode=x64compatible
PrivilegesRequiredOverridesAllowed=dialog

[Files]
Source: "..\..\dist\gru-studio\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\GRU Studio"; Filename: "{app}\gru-studio.exe"
Name: "{autodesktop}\GRU Studio"; Filename: "{app}\gru-studio.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Create a desktop shortcut"; Flags: unchecked

[Run]
Filename: "{app}\gru-studio.exe"; Description: "Start GRU Studio"; Flags: nowait postinstall skipifsilent
