#!/usr/bin/env bash
# Accuracy and speed of every optical flow method, one thread: endpoint error after the stored ±20 px → 0..255 round
# trip on synthetic pairs (1° rotation, sub-pixel translation, moving square) and the median ms per pair.
#   bench/flow.sh [sizes=64,128,256] [methods=farneback-default,farneback-seed,opencv-farneback-default,opencv-farneback-seed,tvl1,dis]
# opencv-farneback-* is OpenCV's calcOpticalFlowFarneback with the same presets: the reference --flow farneback (written
# here) is held to. bench/flow.sh compare [sizes] [presets=default,seed] prints the distance between the two fields and their CPU time per
# pair.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/Video2TfRecord.Benchmarks -c Release --nologo -v quiet >/dev/null
if [[ ${1:-} == compare ]]; then
    exec dotnet bench/Video2TfRecord.Benchmarks/bin/Release/net10.0/Video2TfRecord.Benchmarks.dll farneback-compare "${@:2}"
fi
exec dotnet bench/Video2TfRecord.Benchmarks/bin/Release/net10.0/Video2TfRecord.Benchmarks.dll flow-table "$@"
