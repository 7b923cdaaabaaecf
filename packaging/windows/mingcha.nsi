; Installer of 明察 Mingcha for Windows 10/11 x64: Program Files, a
; Start-menu entry 明察 for all users, an uninstaller and its entry in
; Settings → Apps. scripts/windows-dist.sh runs makensis with the values
; from FyneApp.toml (-D NAME, ID, VERSION, BUILD, MAJOR, MINOR, PATCH), the
; folder the zip is made of (-D STAGE) and OUTFILE; FILES and UNFILES name
; the lines it writes to install and to remove exactly that folder's files.
; Silent: setup.exe /S [/D=C:\path]; uninstall.exe /S.
Unicode true
Target amd64-unicode
ManifestDPIAware true
SetCompressor /SOLID lzma
RequestExecutionLevel admin

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "x64.nsh"
!include "FileFunc.nsh"

!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${ID}"
!define DIRKEY "Software\${NAME}"

Name "明察 ${NAME}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${NAME}"
InstallDirRegKey HKLM "${DIRKEY}" "InstallDir"
BrandingText "明察 ${NAME} ${VERSION}"
ShowInstDetails nevershow
ShowUninstDetails nevershow

VIProductVersion "${MAJOR}.${MINOR}.${PATCH}.${BUILD}"
VIFileVersion "${MAJOR}.${MINOR}.${PATCH}.${BUILD}"
VIAddVersionKey /LANG=2052 "ProductName" "明察 ${NAME}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}.${BUILD}"
VIAddVersionKey /LANG=2052 "FileDescription" "明察 ${NAME} ${VERSION} 安装程序"
VIAddVersionKey /LANG=2052 "CompanyName" "明察 ${NAME}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "${ID}"
VIAddVersionKey /LANG=2052 "OriginalFilename" "${NAME}-${VERSION}-windows-x64-setup.exe"

!define MUI_ICON "${STAGE}/mingcha.ico"
!define MUI_UNICON "${STAGE}/mingcha.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\mingcha.exe"
!define MUI_FINISHPAGE_SHOWREADME "$INSTDIR\README.zh-CN.txt"
!define MUI_FINISHPAGE_SHOWREADME_NOTCHECKED

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; The first language is the default; Windows in any other language than
; Chinese gets English.
!insertmacro MUI_LANGUAGE "SimpChinese"
!insertmacro MUI_LANGUAGE "English"

LangString Needs64 ${LANG_SIMPCHINESE} "明察需要 64 位的 Windows 10 或 Windows 11。"
LangString Needs64 ${LANG_ENGLISH} "Mingcha needs 64-bit Windows 10 or Windows 11."
LangString Description ${LANG_SIMPCHINESE} "机关服务效能明查暗访"
LangString Description ${LANG_ENGLISH} "Inspections of government service efficiency"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "$(Needs64)" /SD IDOK
    Abort
  ${EndIf}
  SetRegView 64
  SetShellVarContext all
FunctionEnd

Function un.onInit
  SetRegView 64
  SetShellVarContext all
FunctionEnd

Section "Mingcha"
  SetOutPath "$INSTDIR"
  !include "${FILES}"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  ; One entry, named in Chinese, straight in the Start menu (Windows 11
  ; shows no folders of one entry); the database is not touched here.
  SetOutPath "$INSTDIR"
  CreateShortcut "$SMPROGRAMS\明察.lnk" "$INSTDIR\mingcha.exe" "" "$INSTDIR\mingcha.exe" 0 \
    SW_SHOWNORMAL "" "$(Description)"
  WriteRegStr HKLM "${DIRKEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayName" "明察 ${NAME}"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTKEY}" "Publisher" "明察 ${NAME}"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\mingcha.exe,0"
  WriteRegStr HKLM "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTKEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKLM "${UNINSTKEY}" "EstimatedSize" $0
SectionEnd

; Removes exactly the files the installer wrote (never the folder's other
; contents: the user may have chosen a folder of their own), and leaves
; the database and its backups in %LOCALAPPDATA%.
Section "Uninstall"
  Delete "$SMPROGRAMS\明察.lnk"
  !include "${UNFILES}"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${UNINSTKEY}"
  DeleteRegKey HKLM "${DIRKEY}"
SectionEnd
