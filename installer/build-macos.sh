#!/usr/bin/env bash
# Builds the macOS .dmg with jpackage (run on macOS with JDK 17 and Maven). The ONNX Runtime GPU build has no macOS
# natives, so on macOS the pom's `macos` profile (activated automatically) uses com.microsoft.onnxruntime:onnxruntime.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q package -DskipTests
# macOS wants an .icns icon: build it from the PNG with the system's own tools.
ICONSET=target/icon.iconset; mkdir -p "$ICONSET"
for s in 16 32 64 128 256; do sips -z $s $s installer/icon.png --out "$ICONSET/icon_${s}x${s}.png" >/dev/null; done
iconutil -c icns "$ICONSET" -o target/icon.icns
OUT=target/installer; INPUT=$OUT/input
rm -rf "$OUT" && mkdir -p "$INPUT/lib" "$INPUT/models"
cp target/matting-studio-*.jar "$INPUT/matting-studio.jar"; cp target/lib/*.jar "$INPUT/lib/"
cp models/*.onnx models/*.json "$INPUT/models/" 2>/dev/null || true
( cd "$INPUT/lib" && zip -q -d opencv-*.jar 'nu/pattern/opencv/windows/*' 'nu/pattern/opencv/linux/*' || true )
jlink --add-modules java.base,java.desktop,java.logging,java.management,java.naming,java.prefs,java.scripting,java.sql,java.xml,jdk.unsupported,jdk.zipfs,jdk.crypto.ec \
      --strip-debug --no-header-files --no-man-pages --compress=2 --output "$OUT/runtime"
jpackage --type dmg --name "Matting Studio" --app-version 0.1.0 --vendor "Matting Studio" \
  --input "$INPUT" --main-jar matting-studio.jar --main-class studio.matting.Launcher --runtime-image "$OUT/runtime" \
  --icon target/icon.icns --mac-package-identifier studio.matting.app --dest "$OUT"
