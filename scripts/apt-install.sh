# SPDX-License-Identifier: GPL-2.0-only
# Sourced by the install-deps scripts. install_missing TAG PKG...: installs
# the Debian packages not yet installed (apt is only asked when something
# is missing); sets INSTALLED=1 when it installed anything.
INSTALLED=0

install_missing() {
	local tag=$1 p missing=()
	shift
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || missing+=("$p")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		echo "$tag: all $# packages present"
		return 0
	fi
	echo "$tag: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get -o DPkg::Lock::Timeout=600 update -qq
	apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
		--no-install-recommends "${missing[@]}"
	INSTALLED=1
}
