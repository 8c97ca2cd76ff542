#!/usr/bin/env bash
# The main job on material the repo ships: a slow pan over the public-domain 1927 Solvay group photo, every face
# swapped to the default (public-domain astronaut) face, written to out.mp4 with a visible label.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
photo=Tests/Fixtures/solvay_1927_group_public_domain.png
pan="movie=$photo,loop=loop=-1:size=1,zoompan=z='1.9-0.0025*on':x='iw/2-(iw/zoom/2)+60*sin(on/50)':y='ih*0.42-(ih/zoom/2)':d=1:s=1280x720:fps=30,trim=duration=6"
.build/release/facelive run -i "lavfi:$pan" -o out.mp4 --max-faces 0 --tiles 3x2 --label "AI-altered: facelive demo" "$@"
echo "wrote out.mp4"
