#!/usr/bin/env python3
"""
mkarchive.py - build small docker-archive / OCI-layout tarballs for probing dive 0.13.1.

Library use:
    from mkarchive import build_docker_archive, E
    build_docker_archive(path, layers=[[E.f('a/f', 10)], [E.wh('a/f')]], history=[...])

Entry helpers (E.*) return dicts understood by layer_tar():
    E.f(name, size|data, mode=0o644)   regular file
    E.d(name, mode=0o755)              directory
    E.l(name, target)                  symlink
    E.h(name, target)                  hardlink
    E.wh(path)                         whiteout file for path (dir/.wh.base)
    E.opq(dir)                         opaque marker dir/.wh..wh..opq
"""
import gzip
import hashlib
import io
import json
import subprocess
import tarfile


class E:
    @staticmethod
    def f(name, size=0, data=None, mode=0o644, uid=0, gid=0):
        if data is None:
            data = (b'x' * size)
        return dict(name=name, type=tarfile.REGTYPE, data=data, mode=mode, uid=uid, gid=gid)

    @staticmethod
    def d(name, mode=0o755, uid=0, gid=0):
        return dict(name=name, type=tarfile.DIRTYPE, mode=mode, uid=uid, gid=gid)

    @staticmethod
    def l(name, target):
        return dict(name=name, type=tarfile.SYMTYPE, linkname=target, mode=0o777)

    @staticmethod
    def h(name, target):
        return dict(name=name, type=tarfile.LNKTYPE, linkname=target, mode=0o644)

    @staticmethod
    def wh(path):
        d, _, b = path.rpartition('/')
        return E.f((d + '/' if d else '') + '.wh.' + b, data=b'', mode=0)

    @staticmethod
    def opq(d):
        return E.f(d.rstrip('/') + '/.wh..wh..opq', data=b'', mode=0)


def layer_tar(entries, fmt=tarfile.GNU_FORMAT, global_pax=None):
    bio = io.BytesIO()
    kw = {}
    if global_pax is not None:
        fmt = tarfile.PAX_FORMAT
        kw['pax_headers'] = global_pax
    with tarfile.open(fileobj=bio, mode='w', format=fmt, encoding='utf-8',
                      errors='surrogateescape', **kw) as t:
        for e in entries:
            ti = tarfile.TarInfo(e['name'])
            ti.type = e['type']
            ti.mode = e.get('mode', 0o644)
            ti.uid = e.get('uid', 0)
            ti.gid = e.get('gid', 0)
            ti.mtime = 0
            if 'linkname' in e:
                ti.linkname = e['linkname']
            if e['type'] == tarfile.REGTYPE:
                ti.size = len(e['data'])
                t.addfile(ti, io.BytesIO(e['data']))
            else:
                t.addfile(ti)
    return bio.getvalue()


def sha(b):
    return hashlib.sha256(b).hexdigest()


def _add(t, name, data, typ=tarfile.REGTYPE, linkname=None):
    ti = tarfile.TarInfo(name)
    ti.mtime = 0
    ti.type = typ
    if linkname is not None:
        ti.linkname = linkname
        t.addfile(ti)
    else:
        ti.size = len(data)
        t.addfile(ti, io.BytesIO(data))


def build_docker_archive(path, layers, history=None, compress=None, symlinks=None,
                         manifest_extra=None, layer_global_pax=None, outer_gzip=False,
                         config_override=None, manifest_layers_override=None):
    """Legacy `docker save` layout: <id>/layer.tar + <cfg>.json + manifest.json.
    layers: list of entry lists.  compress: None | 'gz' (-> <id>.tar.gz names, kaniko style)
    symlinks: {layer_index: target_layer_index} -> make that layer.tar a symlink
    layer_global_pax: {layer_index: {k: v}} -> add a PAX global header to that layer"""
    symlinks = symlinks or {}
    layer_global_pax = layer_global_pax or {}
    blobs = []
    for i, ents in enumerate(layers):
        raw = layer_tar(ents, global_pax=layer_global_pax.get(i))
        blobs.append(raw)
    diff_ids = ['sha256:' + sha(b) for b in blobs]
    if history is None:
        history = [{'created_by': '/bin/sh -c layer %d' % i} for i in range(len(layers))]
    cfg = {'architecture': 'amd64', 'os': 'linux', 'history': history,
           'rootfs': {'type': 'layers', 'diff_ids': diff_ids}}
    if config_override is not None:
        cfg = config_override(cfg)
    cfg_bytes = json.dumps(cfg).encode()
    cfg_name = sha(cfg_bytes) + '.json'
    names = []
    for i, b in enumerate(blobs):
        lid = sha(('%d' % i).encode() + b)
        names.append(lid + ('.tar.gz' if compress == 'gz' else '/layer.tar'))
    manifest = [{'Config': cfg_name, 'RepoTags': ['probe:latest'],
                 'Layers': manifest_layers_override or names}]
    if manifest_extra:
        manifest += manifest_extra
    bio = io.BytesIO()
    with tarfile.open(fileobj=bio, mode='w', format=tarfile.GNU_FORMAT) as t:
        for i, b in enumerate(blobs):
            if i in symlinks:
                tgt = names[symlinks[i]]
                _add(t, names[i], None, tarfile.SYMTYPE, '../' + tgt)
                continue
            data = gzip.compress(b, mtime=0) if compress == 'gz' else b
            _add(t, names[i], data)
        _add(t, cfg_name, cfg_bytes)
        _add(t, 'manifest.json', json.dumps(manifest).encode())
    data = bio.getvalue()
    if outer_gzip:
        data = gzip.compress(data, mtime=0)
    with open(path, 'wb') as f:
        f.write(data)
    return names


def build_oci_layout(path, layers, history=None, compression='gzip', with_manifest_json=False):
    """OCI image layout (index.json + blobs/sha256/*), optionally with docker's manifest.json"""
    blobs = {}
    diff_ids = []
    layer_descs = []
    for ents in layers:
        raw = layer_tar(ents)
        diff_ids.append('sha256:' + sha(raw))
        if compression == 'gzip':
            comp = gzip.compress(raw, mtime=0)
            mt = 'application/vnd.oci.image.layer.v1.tar+gzip'
        elif compression == 'zstd':
            comp = subprocess.run(['zstd', '-q', '-c'], input=raw, capture_output=True, check=True).stdout
            mt = 'application/vnd.oci.image.layer.v1.tar+zstd'
        else:
            comp = raw
            mt = 'application/vnd.oci.image.layer.v1.tar'
        d = sha(comp)
        blobs[d] = comp
        layer_descs.append({'mediaType': mt, 'digest': 'sha256:' + d, 'size': len(comp)})
    if history is None:
        history = [{'created_by': 'RUN layer %d' % i} for i in range(len(layers))]
    cfg = json.dumps({'architecture': 'amd64', 'os': 'linux', 'history': history,
                      'rootfs': {'type': 'layers', 'diff_ids': diff_ids}}).encode()
    blobs[sha(cfg)] = cfg
    man = json.dumps({'schemaVersion': 2, 'mediaType': 'application/vnd.oci.image.manifest.v1+json',
                      'config': {'mediaType': 'application/vnd.oci.image.config.v1+json',
                                 'digest': 'sha256:' + sha(cfg), 'size': len(cfg)},
                      'layers': layer_descs}).encode()
    blobs[sha(man)] = man
    index = json.dumps({'schemaVersion': 2, 'manifests': [
        {'mediaType': 'application/vnd.oci.image.manifest.v1+json', 'digest': 'sha256:' + sha(man),
         'size': len(man)}]}).encode()
    bio = io.BytesIO()
    with tarfile.open(fileobj=bio, mode='w', format=tarfile.GNU_FORMAT) as t:
        for d, b in blobs.items():
            _add(t, 'blobs/sha256/' + d, b)
        _add(t, 'index.json', index)
        _add(t, 'oci-layout', b'{"imageLayoutVersion":"1.0.0"}')
        if with_manifest_json:
            _add(t, 'manifest.json', json.dumps([{
                'Config': 'blobs/sha256/' + sha(cfg), 'RepoTags': ['probe:latest'],
                'Layers': [x['digest'].replace('sha256:', 'blobs/sha256/') for x in layer_descs]}]).encode())
    with open(path, 'wb') as f:
        f.write(bio.getvalue())
