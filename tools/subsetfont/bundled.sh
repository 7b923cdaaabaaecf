#!/bin/sh
# Rebuilds the fonts bundled in assets/fonts from Debian's font packages
# (make fonts installs them: fonts-wqy-microhei, fonts-droid-fallback,
# fonts-babelstone-han, fonts-dejavu-core, fonts-symbola, fonts-arphic-uming,
# fonts-arphic-ukai). Run from the repository root:
#   sh tools/subsetfont/bundled.sh
# The output is deterministic: the same packages give the same bytes.
set -e
F=/usr/share/fonts/truetype
out=assets/fonts
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/subsetfont" ./tools/subsetfont
sub() { "$tmp/subsetfont" "$@"; }
go run ./tools/extractfont -o "$tmp/wqy.ttf"

# GB 18030-2022 implementation level 2 (the ideographs of the two-byte part,
# Extension A, the SMP characters of 通用规范汉字表), plus 𠀀 and 𪚥 for the
# tests, for what WQY MicroHei lacks: Droid Sans Fallback first (WQY MicroHei
# is drawn from it, so the styles match), BabelStone Han for the rest.
han='gbk-han,ext-a,tgh-smp,cjk-punct,gongwen,text:𠀀𪚥'
sub -in $F/droid/DroidSansFallbackFull.ttf -chars "$han" -minus "$tmp/wqy.ttf" -o "$tmp/droid.ttf"
sub -in $F/babelstone/BabelStoneHan.ttf -chars "$han" -minus "$tmp/wqy.ttf,$tmp/droid.ttf" -o "$tmp/bsh.ttf"
# European scripts and symbols from DejaVu Sans, emoji (monochrome outlines)
# from Symbola. Not scripts that need shaping (Arabic, Indic), and the merged
# face (assets.TextFont) must stay under 65,535 glyphs.
sub -in $F/dejavu/DejaVuSans.ttf -chars 'U+0020-U+058F,U+1E00-U+1EFF,U+2000-U+2BFF' \
	-minus "$tmp/wqy.ttf,$tmp/droid.ttf,$tmp/bsh.ttf" -o "$tmp/dejavu.ttf"
sub -in $F/ancient-scripts/Symbola_hint.ttf -chars 'U+2600-U+27BF,U+1F300-U+1F64F,U+1F680-U+1F6FF' \
	-minus "$tmp/wqy.ttf,$tmp/droid.ttf,$tmp/bsh.ttf,$tmp/dejavu.ttf" -o "$tmp/symbola.ttf"
# 公文 faces (issue 12): 明体 for 正文 and 标题, 楷体 for 二级 headings.
sub -in $F/arphic/uming.ttc -index 0 -chars gb2312,gongwen,ascii -o "$tmp/uming.ttf"
sub -in $F/arphic/ukai.ttc -index 0 -chars gb2312,gongwen,ascii -o "$tmp/ukai.ttf"

for f in wqy:wqy-microhei droid:fallback-droid bsh:fallback-babelstone dejavu:fallback-dejavu \
	symbola:fallback-symbola uming:uming-gb2312 ukai:ukai-gb2312; do
	gzip -9nc "$tmp/${f%%:*}.ttf" >"$out/${f#*:}.ttf.gz"
done
ls -l "$out"
