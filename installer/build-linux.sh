#!/usr/bin/env bash
# Builds the Linux app-image and .deb with jpackage:
#   installer/build-linux.sh            -> target/installer/matting-studio/ (app-image) and target/installer/*.deb
#   installer/build-linux.sh app-image  -> only the app-image
# Needs JDK 17 (jlink, jpackage), Maven, fakeroot, dpkg-deb and zip (Debian: apt-get install fakeroot zip).
set -euo pipefail
cd "$(dirname "$0")/.."
TYPES=${1:-"app-image deb"}
VERSION=$(mvn -B -q help:evaluate -Dexpression=project.version -DforceStdout 2>/dev/null | sed "s/\x1b\[[0-9;]*m//g; s/-SNAPSHOT//")
OUT=target/installer
INPUT=$OUT/input

mvn -B -q package -DskipTests
rm -rf "$OUT" && mkdir -p "$INPUT/lib"
cp target/matting-studio-*.jar "$INPUT/matting-studio.jar"
cp target/lib/*.jar "$INPUT/lib/"

# The ONNX Runtime GPU jar carries Linux and Windows natives, OpenCV's carries six platforms: keep only linux-x64.
( cd "$INPUT/lib"
  zip -q -d onnxruntime_gpu-*.jar 'ai/onnxruntime/native/win-x64/*' || true
  zip -q -d opencv-*.jar 'nu/pattern/opencv/windows/*' 'nu/pattern/opencv/osx/*' \
      'nu/pattern/opencv/linux/ARMv7/*' 'nu/pattern/opencv/linux/ARMv8/*' || true
  # JavaFX jars for other platforms are never resolved on Linux; ControlsFX has none.
)
# Models ship beside the jar; the inference module looks in <app>/models.
mkdir -p "$INPUT/models"
cp models/*.onnx models/*.json "$INPUT/models/" 2>/dev/null || echo "note: no models in models/ (only the classical engine will be offered)"

# A trimmed runtime: only the JDK modules the app uses (JavaFX comes from its jars on the class path).
jlink --add-modules java.base,java.desktop,java.logging,java.management,java.naming,java.prefs,java.scripting,java.sql,java.xml,jdk.unsupported,jdk.zipfs,jdk.crypto.ec \
      --strip-debug --no-header-files --no-man-pages --compress=2 --output "$OUT/runtime"

COMMON=(--name matting-studio --app-version "${VERSION}" --vendor "Matting Studio"
        --description "Desktop matting editor: soft alpha mattes, cut-outs and ID photos"
        --input "$INPUT" --main-jar matting-studio.jar --main-class studio.matting.Launcher
        --runtime-image "$OUT/runtime" --icon installer/icon.png --dest "$OUT")
for t in $TYPES; do
  if [ "$t" = "app-image" ]; then
    jpackage --type app-image "${COMMON[@]}"
  else
    jpackage --type "$t" "${COMMON[@]}" --resource-dir installer/linux \
      --linux-shortcut --linux-menu-group "Graphics" --linux-app-category graphics --linux-package-name matting-studio
  fi
done
du -sh "$OUT"/matting-studio "$OUT"/*.deb 2>/dev/null || true
