#!/usr/bin/perl
# Reads Valgrind memcheck logs (one a process, --log-file=%p.log) and sorts
# their errors: an error is the lines of a log from its headline, after a
# blank "==PID== " line, to the next blank one, with the suppression that
# --gen-suppressions printed after it. It is ours when a frame is in
# peoplefirst.so or in one of the files src/NAME.c, NAME one of those of the
# first argument (separated by |). With --fullpath-after= valgrind prints
# whole source paths, so that PostgreSQL's own files of the same name (its
# tsearch/spell.c) do not match; without it, bare NAME.c does.
#   parse_logs.pl 'relstrength|spell|...' valgrind/*.log
# Prints "ours N", "theirs N", "other COUNT<TAB>headline" for the errors
# outside the extension, then "stack" and each distinct error of ours with
# the log it came from.
use strict;
use warnings;

my $sources = shift @ARGV // '';
my ($ours, $theirs) = (0, 0);
my (%seen, %headlines, @shown);

sub record {
	my ($file, $text, $supp) = @_;
	return unless $text =~ /^\s+(?:at|by) 0x/m;
	my ($head) = $text =~ /^(\S.*)$/m;
	my @frames = $text =~ /^\s+(?:at|by) 0x[0-9A-F]+: (.*)$/mg;
	my $last = $#frames < 7 ? $#frames : 7;
	my $key = join '|', $head, @frames[0 .. $last];
	if ($text =~ /peoplefirst\.so/ || ($sources ne '' && $text =~ m{\((?:\S*/src/|src/|)(?:$sources)\.c:\d+\)})) {
		$ours++;
		push @shown, "$file\n$text$supp" unless $seen{$key}++;
	} else {
		$theirs++;
		$headlines{$head}++;
	}
}

for my $file (@ARGV) {
	open my $fh, '<', $file or next;
	# the error being read, the last one read (its suppression may follow)
	my (@block, $pending, $supp, $in_supp);
	while (my $line = <$fh>) {
		if ($in_supp) {
			$supp .= $line;
			if ($line =~ /^\}/) {
				record($file, $pending // '', $supp);
				($pending, $supp, $in_supp) = (undef, undef, 0);
			}
		} elsif ($line =~ /^\{/) {
			($supp, $in_supp) = ($line, 1);
		} elsif ($line =~ /^==\d+== ?(.*)$/s) {
			my $rest = $1;
			if ($rest =~ /^\s*$/) {
				if (@block) {
					record($file, $pending, '') if defined $pending;
					$pending = join '', @block;
					@block = ();
				}
			} else {
				if (defined $pending) {
					record($file, $pending, '');
					$pending = undef;
				}
				push @block, $rest;
			}
		}
	}
	record($file, $pending, '') if defined $pending;
	record($file, join('', @block), '') if @block;
}

print "ours $ours\n";
print "theirs $theirs\n";
for my $h (sort { $headlines{$b} <=> $headlines{$a} || $a cmp $b } keys %headlines) {
	print "other $headlines{$h}\t$h\n";
}
print "stack\n$_\n" for @shown;
