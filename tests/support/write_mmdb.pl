#!/usr/bin/perl
# Writes a small MaxMind DB file for tests, at test time (no binary database is checked in):
#   write_mmdb.pl OUT DATABASE_TYPE < records.json
# records.json: [{"network": "81.2.69.0/24", "data": {"country": {"iso_code": "GB"}, ...}}, ...]
# Keys take the types MaxMind's City and ASN databases give them.
use strict;
use warnings;

use JSON::PP;
use MaxMind::DB::Writer::Tree;

my ($out, $type) = @ARGV;
die "usage: write_mmdb.pl OUT DATABASE_TYPE < records.json\n" unless defined $type;

my %types = (
    autonomous_system_number       => 'uint32',
    autonomous_system_organization => 'utf8_string',
    city                           => 'map',
    code                           => 'utf8_string',
    continent                      => 'map',
    country                        => 'map',
    en                             => 'utf8_string',
    geoname_id                     => 'uint32',
    is_in_european_union           => 'boolean',
    iso_code                       => 'utf8_string',
    latitude                       => 'double',
    location                       => 'map',
    longitude                      => 'double',
    metro_code                     => 'uint16',
    names                          => 'map',
    postal                         => 'map',
    registered_country             => 'map',
    subdivisions                   => ['array', 'map'],
    time_zone                      => 'utf8_string',
);

# JSON booleans become the 1 and 0 the writer takes.
sub plain {
    my ($value) = @_;
    return $value ? 1 : 0 if JSON::PP::is_bool($value);
    return { map { $_ => plain($value->{$_}) } keys %$value } if ref $value eq 'HASH';
    return [ map { plain($_) } @$value ] if ref $value eq 'ARRAY';
    return $value;
}

my $json = do { local $/; <STDIN> };
my $records = JSON::PP->new->decode($json);

my $tree = MaxMind::DB::Writer::Tree->new(
    ip_version               => 6,
    record_size              => 28,
    database_type            => $type,
    languages                => ['en'],
    description              => { en => 'Gatehouse test database' },
    remove_reserved_networks => 0,
    map_key_type_callback    => sub {
        my $key = shift;
        return $types{$key} // die "write_mmdb.pl: no type for key '$key'\n";
    },
);
for my $record (@$records) {
    $tree->insert_network($record->{network}, plain($record->{data}));
}
open my $fh, '>:raw', "$out.tmp" or die "write_mmdb.pl: $out.tmp: $!\n";
$tree->write_tree($fh);
close $fh or die "write_mmdb.pl: $out.tmp: $!\n";
# Renamed into place: a proxy watching the file never reads it half-written.
rename "$out.tmp", $out or die "write_mmdb.pl: $out: $!\n";
