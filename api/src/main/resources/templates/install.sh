#!/bin/sh
# Rackboot shell installer for {{host.hostname}} ({{role.name}} in {{environment}}):
# writes image {{image.name}} {{image.version}} to the first disk.
set -eu
{{#image.artifacts}}
# {{part}} {{sha256}} {{size}}
{{/image.artifacts}}
{{#image.disk}}
wget -q -O - {{url}} | dd of="${TARGET:-/dev/sda}" bs=1M conv=fsync
{{/image.disk}}
