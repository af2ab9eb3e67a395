# Builds the Windows .msi with jpackage (run on Windows with JDK 17, Maven and the WiX Toolset 3 on PATH).
#   powershell -ExecutionPolicy Bypass -File installer\build-windows.ps1
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")
mvn -B -q package -DskipTests
$out = "target\installer"; $input = "$out\input"
Remove-Item -Recurse -Force $out -ErrorAction SilentlyContinue
New-Item -ItemType Directory -Force "$input\lib", "$input\models" | Out-Null
Copy-Item target\matting-studio-*.jar "$input\matting-studio.jar"
Copy-Item target\lib\*.jar "$input\lib\"
Copy-Item models\*.onnx, models\*.json "$input\models\" -ErrorAction SilentlyContinue
# Keep only the Windows x64 natives (the ONNX Runtime GPU jar also carries Linux CUDA providers).
Add-Type -AssemblyName System.IO.Compression.FileSystem
function Remove-Entries($jar, $prefixes) {
  $zip = [System.IO.Compression.ZipFile]::Open((Resolve-Path $jar), 'Update')
  foreach ($e in @($zip.Entries)) { foreach ($p in $prefixes) { if ($e.FullName.StartsWith($p)) { $e.Delete(); break } } }
  $zip.Dispose()
}
Remove-Entries (Get-Item "$input\lib\onnxruntime_gpu-*.jar") @("ai/onnxruntime/native/linux-x64/")
Remove-Entries (Get-Item "$input\lib\opencv-*.jar") @("nu/pattern/opencv/linux/", "nu/pattern/opencv/osx/", "nu/pattern/opencv/windows/x86_32/")
jlink --add-modules java.base,java.desktop,java.logging,java.management,java.naming,java.prefs,java.scripting,java.sql,java.xml,jdk.unsupported,jdk.zipfs,jdk.crypto.ec `
      --strip-debug --no-header-files --no-man-pages --compress=2 --output "$out\runtime"
jpackage --type msi --name "Matting Studio" --app-version 0.1.0 --vendor "Matting Studio" `
  --input $input --main-jar matting-studio.jar --main-class studio.matting.Launcher --runtime-image "$out\runtime" `
  --icon installer\icon.ico --win-menu --win-shortcut --win-dir-chooser --win-console --dest $out
