package dev.sightline.modelserver;

import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.ImagePart;
import dev.sightline.vision.chat.Message;
import dev.sightline.vision.chat.TextPart;
import dev.sightline.vision.chat.TimedFrame;
import dev.sightline.vision.chat.VideoPart;
import dev.sightline.vision.video.VideoProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VideoFrameGroupsTest {

	static final ObjectMapper JSON = new ObjectMapper();

	static ImagePart image(int id) {
		return ImagePart.of(new byte[] { (byte) id });
	}

	@Test
	void rebuildsAClipFromImagePartsWithTheirCaptureTimes() throws Exception {
		Conversation sent = new Conversation(List.of(Message.system("be brief"),
				Message.user(new TextPart("what happens?"), image(9), image(1), image(2), image(3))));
		JsonNode groups = JSON.readTree("[{\"first_image\": 1, \"timestamps_sec\": [0.0, 2.9, 7.0]}]");

		Conversation rebuilt = VideoFrameGroups.apply(sent, groups);

		Message user = rebuilt.messages().get(1);
		assertThat(user.parts()).hasSize(3);
		assertThat(((ImagePart) user.parts().get(1)).encoded()).containsExactly(9);
		VideoPart video = (VideoPart) user.parts().get(2);
		assertThat(video.frames()).extracting(TimedFrame::timestampSec).containsExactly(0.0, 2.9, 7.0);
		assertThat(video.frames()).extracting(f -> f.encoded()[0]).containsExactly((byte) 1, (byte) 2, (byte) 3);
		// second_per_grid_t follows the real span: 2 x 7.0 s / 2 intervals.
		double[] times = video.frames().stream().mapToDouble(TimedFrame::timestampSec).toArray();
		assertThat(VideoProcessor.secondPerGridT(times, 2)).isEqualTo(7.0f);
	}

	@Test
	void leavesARequestWithoutTheExtensionAsItIs() {
		Conversation sent = new Conversation(List.of(Message.user(image(1))));

		assertThat(VideoFrameGroups.apply(sent, JSON.missingNode())).isSameAs(sent);
	}

	@Test
	void refusesClipsThatDoNotMatchTheImages() throws Exception {
		Conversation sent = new Conversation(List.of(Message.user(image(1), image(2))));

		assertThatThrownBy(() -> VideoFrameGroups.apply(sent,
				JSON.readTree("[{\"first_image\": 5, \"timestamps_sec\": [0]}]")))
			.isInstanceOf(ApiException.class)
			.hasMessageContaining("first_image 5 is beyond the request's 2 images");
		assertThatThrownBy(() -> VideoFrameGroups.apply(sent,
				JSON.readTree("[{\"first_image\": 1, \"timestamps_sec\": [0, 1]}]")))
			.hasMessageContaining("2 timestamps but only 1 parts follow");
		assertThatThrownBy(() -> VideoFrameGroups.apply(sent, JSON.readTree("{\"first_image\": 0}")))
			.hasMessageContaining("must be an array");
	}

}
