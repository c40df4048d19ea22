#!/bin/sh
# Rackboot shell installer: writes the image of this host to the first disk.
# Rackboot writes every value below as one single-quoted word, so no value can end a command.
set -eu
host={{host.hostname}}
role={{role.name}}
environment={{environment}}
image={{image.name}}
version={{image.version}}
echo "Rackboot: installing $image $version on $host ($role in $environment)"
{{#image.artifacts}}
: artifact {{part}} {{sha256}} {{size}}
{{/image.artifacts}}
{{#image.disk}}
wget -q -O - {{url}} | dd of="${TARGET:-/dev/sda}" bs=1M conv=fsync
{{/image.disk}}
